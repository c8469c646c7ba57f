from tests.audit.conftest import log_roles, partitions_restored  # noqa: F401 - fixtures shared with tests/audit
