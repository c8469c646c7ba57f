"""The access log is read, searched and exported by auditors on the app's own pages (/audit/), whose
reads are logged too. It is not in the admin: superuser status grants no role permission
(dacrre/accounts/roles.py), and the log names every person looked at."""
