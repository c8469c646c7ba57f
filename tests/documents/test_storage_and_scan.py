"""The malware scan through clamd (a stand-in daemon speaking its INSTREAM protocol), and the
S3-compatible store (moto standing in for MinIO)."""

import socket
import socketserver
import struct
import threading

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from documents.models import Document, ScanStatus
from tests.documents.conftest import PDF

EICAR_MARKER = b"EICAR-STANDARD-ANTIVIRUS-TEST-FILE"


class _Clamd(socketserver.BaseRequestHandler):
    """Reads `zINSTREAM\\0` and length-prefixed chunks, answers as clamd does."""

    def handle(self) -> None:
        command = self.request.recv(10)
        assert command == b"zINSTREAM\0"
        data = b""
        while True:
            size = struct.unpack("!L", self._exactly(4))[0]
            if not size:
                break
            data += self._exactly(size)
        answer = b"stream: Eicar-Test-Signature FOUND\0" if EICAR_MARKER in data else b"stream: OK\0"
        self.request.sendall(answer)

    def _exactly(self, n: int) -> bytes:
        buffer = b""
        while len(buffer) < n:
            buffer += self.request.recv(n - len(buffer))
        return buffer


@pytest.fixture
def clamd(settings):
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _Clamd)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.CLAMAV_HOST, settings.CLAMAV_PORT = "127.0.0.1", server.server_address[1]
    yield server
    server.shutdown()
    server.server_close()


def _upload(client, case, data, name="order.pdf"):
    return client.post(
        reverse("documents:new", args=["case", case.public_id]),
        {"title": "Order", "kind": "court_order", "visibility": "all", "file": SimpleUploadedFile(name, data)},
    )


@pytest.mark.django_db
def test_a_clean_file_is_stored_as_scanned(login, spoc_case, clamd) -> None:
    officer, case = spoc_case
    client = login(officer)
    assert (
        "No malware scanner is set up"
        not in client.get(reverse("documents:new", args=["case", case.public_id])).content.decode()
    )
    assert _upload(client, case, PDF).status_code == 302
    document = Document.objects.get()
    assert document.scan_status == ScanStatus.CLEAN and document.scanned_at is not None
    page = client.get(reverse("documents:detail", args=[document.public_id])).content.decode()
    assert "Scanned: no malware found" in page and "has not been scanned" not in page


@pytest.mark.django_db
def test_malware_is_refused_and_nothing_stored(login, spoc_case, clamd) -> None:
    officer, case = spoc_case
    before = set(default_storage.listdir("documents")[0]) if default_storage.exists("documents") else set()
    response = _upload(login(officer), case, b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$" + EICAR_MARKER + b"!$H+H*\n", "a.txt")
    assert response.status_code == 200
    assert "The selected file was refused: the malware scanner found Eicar-Test-Signature in it" in (
        response.content.decode()
    )
    assert not Document.objects.exists()
    after = set(default_storage.listdir("documents")[0]) if default_storage.exists("documents") else set()
    assert after == before


@pytest.mark.django_db
def test_a_scanner_that_does_not_answer_refuses_the_file(login, spoc_case, settings) -> None:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    listener.close()  # nothing listens there now
    settings.CLAMAV_HOST, settings.CLAMAV_PORT, settings.CLAMAV_TIMEOUT = "127.0.0.1", port, 2
    officer, case = spoc_case
    response = _upload(login(officer), case, PDF)
    assert "the scanner is not answering. Try again later" in response.content.decode()
    assert not Document.objects.exists()


S3 = {
    "BACKEND": "storages.backends.s3.S3Storage",
    "OPTIONS": {
        "bucket_name": "dacrre-documents",
        "access_key": "testing",
        "secret_key": "testing",
        "region_name": "eu-west-2",
        "addressing_style": "path",
        "signature_version": "s3v4",
        "default_acl": None,
        "querystring_auth": True,
        "file_overwrite": False,
    },
}


@pytest.mark.django_db
def test_documents_go_to_a_private_bucket_and_come_back_through_the_app(login, spoc_case, monkeypatch) -> None:
    boto3 = pytest.importorskip("boto3")
    moto = pytest.importorskip("moto")
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    officer, case = spoc_case
    with moto.mock_aws():
        s3 = boto3.client("s3", region_name="eu-west-2", aws_access_key_id="testing", aws_secret_access_key="testing")
        s3.create_bucket(Bucket="dacrre-documents", CreateBucketConfiguration={"LocationConstraint": "eu-west-2"})
        with override_settings(
            STORAGES={
                "default": S3,
                "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
            }
        ):
            client = login(officer)
            assert _upload(client, case, PDF).status_code == 302
            document = Document.objects.get()
            stored = s3.get_object(Bucket="dacrre-documents", Key=document.storage_name)
            assert stored["Body"].read() == PDF
            grants = s3.get_object_acl(Bucket="dacrre-documents", Key=document.storage_name)["Grants"]
            assert all("AllUsers" not in str(grant.get("Grantee", {})) for grant in grants)  # not public
            download = client.get(reverse("documents:download", args=[document.public_id]))
            assert download.status_code == 200 and download.content == PDF


@pytest.mark.django_db
def test_the_store_is_checked_against_the_database_after_a_restore(login, spoc_case) -> None:
    import io

    from django.core.management import CommandError, call_command

    officer, case = spoc_case
    client = login(officer)
    for _ in range(2):
        _upload(client, case, PDF)
    out = io.StringIO()
    call_command("documents_verify", "--sha256", "-1", stdout=out)
    assert "ok  2 documents: every file present with its size; 2 hashed" in out.getvalue()
    first, second = Document.objects.order_by("pk")
    default_storage.delete(first.storage_name)
    with default_storage.open(second.storage_name, "wb") as changed:
        changed.write(PDF.replace(b"1.4", b"1.5"))
    err = io.StringIO()
    with pytest.raises(CommandError, match="2 of 2 documents have a problem"):
        call_command("documents_verify", "--sha256", "-1", stderr=err)
    assert f"document {first.public_id}: its file is missing" in err.getvalue()
    assert f"document {second.public_id}: its file's SHA-256 differs" in err.getvalue()
