"""The malware scan: ClamAV's daemon (clamd), over TCP or its socket, with the INSTREAM command.

Configured (CLAMAV_HOST or CLAMAV_SOCKET): every file is scanned before it is stored; a file in
which malware is found is refused, and so is every file while the scanner cannot be reached or
answers something unexpected (never stored unscanned when a scanner is expected). Not configured:
the document is stored with the status "not scanned", which its pages show.
"""

import datetime
import logging
import socket
import struct
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from dacrre.core.exceptions import ApplicationError

from .models import ScanStatus

logger = logging.getLogger(__name__)
CHUNK = 64 * 1024


class ScannerUnavailableError(ApplicationError):
    """The scanner is configured but could not scan the file: nothing is stored."""


class MalwareFoundError(ApplicationError):
    """The scanner found malware in the file: it is refused."""


@dataclass(frozen=True)
class ScanResult:
    status: ScanStatus
    scanned_at: datetime.datetime | None = None


def scanner_configured() -> bool:
    return bool(settings.CLAMAV_SOCKET or settings.CLAMAV_HOST)


def _connect() -> socket.socket:
    timeout = settings.CLAMAV_TIMEOUT
    if settings.CLAMAV_SOCKET:
        conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        conn.settimeout(timeout)
        conn.connect(settings.CLAMAV_SOCKET)
        return conn
    return socket.create_connection((settings.CLAMAV_HOST, settings.CLAMAV_PORT), timeout=timeout)


def _clamd_answer(data: bytes) -> str:
    with _connect() as conn:
        conn.sendall(b"zINSTREAM\0")
        for start in range(0, len(data), CHUNK):
            chunk = data[start : start + CHUNK]
            conn.sendall(struct.pack("!L", len(chunk)) + chunk)
        conn.sendall(struct.pack("!L", 0))
        answer = b""
        while not answer.endswith(b"\0"):
            part = conn.recv(4096)
            if not part:
                break
            answer += part
    return answer.rstrip(b"\0").decode("utf-8", "replace").strip()


def file_scan(data: bytes) -> ScanResult:
    """Scan the bytes, or say they were not scanned (no scanner configured)."""
    if not scanner_configured():
        return ScanResult(ScanStatus.NOT_SCANNED)
    try:
        answer = _clamd_answer(data)
    except OSError as exc:
        logger.error("The malware scanner could not be reached: %s", type(exc).__name__)
        raise ScannerUnavailableError(
            "The file could not be checked for malware: the scanner is not answering. Try again later", field="file"
        ) from exc
    if answer.endswith(" OK"):
        return ScanResult(ScanStatus.CLEAN, timezone.now())
    if answer.endswith(" FOUND"):
        signature = answer.removeprefix("stream:").removesuffix("FOUND").strip()
        logger.warning("Malware found in an uploaded file and refused: %s", signature)
        raise MalwareFoundError(
            f"The selected file was refused: the malware scanner found {signature} in it", field="file"
        )
    logger.error("The malware scanner gave an unexpected answer: %.100s", answer)
    raise ScannerUnavailableError(
        "The file could not be checked for malware: the scanner could not read it. Try again later", field="file"
    )
