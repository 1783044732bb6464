"""AWS error responses in each wire protocol the simulator answers.

``SimulatedError`` is a werkzeug ``HTTPException``: moto's in-process stubber and
its server both turn it into a response with ``get_body``/``get_headers``, so it
can be raised from any patched hook (the S3 authorization hook included).

Shapes follow the protocols of botocore's models: ``query`` (IAM, STS) use
``<ErrorResponse><Error><Type/><Code/><Message/>``; ``json`` (Organizations, SQS)
use ``{"__type", "message"}`` plus SQS's ``x-amzn-query-error`` header (its model
is ``awsQueryCompatible``); ``rest-xml`` (S3) uses ``<Error><Code/><Message/>``.
"""

from __future__ import annotations

import json
from typing import Any
from uuid import uuid4
from xml.sax.saxutils import escape

from werkzeug.exceptions import HTTPException

__all__ = [
    "SimulatedError",
    "access_denied",
    "expired_token",
]

_QUERY_NAMESPACES = {
    "iam": "https://iam.amazonaws.com/doc/2010-05-08/",
    "sts": "https://sts.amazonaws.com/doc/2011-06-15/",
}
_JSON_SERVICES = {"organizations", "sqs"}
_REST_XML_SERVICES = {"s3"}


class SimulatedError(HTTPException):
    """An AWS error: ``code`` (error code), ``message``, HTTP ``status``, ``service``.

    ``service`` is moto's service name (``iam``, ``sts``, ``s3``, ``sqs``,
    ``organizations``, ...) and selects the wire shape.
    """

    def __init__(self, service: str, error_code: str, message: str, status: int = 400) -> None:
        super().__init__(description=message)
        self.code: int = status
        self.error_code = error_code
        self.message = message
        self.service = service
        self.request_id = str(uuid4())

    def __str__(self) -> str:
        return f"{self.error_code}: {self.message}"

    def get_body(self, *args: Any, **kwargs: Any) -> str:
        """The serialized error body for ``self.service``'s protocol."""
        if self.service in _JSON_SERVICES:
            return json.dumps({"__type": self.error_code, "message": self.message})
        if self.service in _REST_XML_SERVICES:
            return (
                '<?xml version="1.0" encoding="UTF-8"?>\n'
                f"<Error><Code>{escape(self.error_code)}</Code>"
                f"<Message>{escape(self.message)}</Message>"
                f"<RequestId>{self.request_id}</RequestId></Error>"
            )
        namespace = _QUERY_NAMESPACES.get(self.service, "")
        xmlns = f' xmlns="{namespace}"' if namespace else ""
        return (
            f"<ErrorResponse{xmlns}><Error><Type>Sender</Type>"
            f"<Code>{escape(self.error_code)}</Code>"
            f"<Message>{escape(self.message)}</Message></Error>"
            f"<RequestId>{self.request_id}</RequestId></ErrorResponse>"
        )

    def get_headers(self, *args: Any, **kwargs: Any) -> list[tuple[str, str]]:
        """Content type, ``X-Amzn-ErrorType`` and (SQS) ``x-amzn-query-error``."""
        headers = [("X-Amzn-ErrorType", self.error_code), ("x-amzn-RequestId", self.request_id)]
        if self.service in _JSON_SERVICES:
            headers.append(("Content-Type", "application/x-amz-json-1.0"))
            if self.service == "sqs":
                headers.append(("x-amzn-query-error", f"{self.error_code};Sender"))
        else:
            headers.append(("Content-Type", "text/xml"))
        return headers

    def as_response(self) -> tuple[int, dict[str, str], str]:
        """``(status, headers, body)`` as moto's response methods return them."""
        return self.status, dict(self.get_headers()), self.get_body()

    @property
    def status(self) -> int:
        """The HTTP status code."""
        return int(self.code or 400)


def access_denied(
    service: str,
    *,
    principal_arn: str,
    action: str,
    resource: str,
    reason: str,
) -> SimulatedError:
    """``AccessDenied`` (403) worded like AWS.

    ``reason`` completes "... on resource: R <reason>", e.g. ``"with an explicit deny
    in a service control policy"`` or ``"with an explicit deny in a session policy"``.
    """
    message = (
        f"User: {principal_arn} is not authorized to perform: {action} "
        f"on resource: {resource} {reason}"
    )
    return SimulatedError(service, "AccessDenied", message, 403)


def expired_token(service: str) -> SimulatedError:
    """``ExpiredToken`` as each service answers it (reference §10 "ExpiredToken").

    IAM and SQS: 403 "The security token included in the request is expired"; S3:
    400 "The provided token has expired."; STS, Organizations and the rest: 400 with
    IAM's wording. Sources: AWS Knowledge Center "security-token-expired";
    aws/aws-cli#4613 (S3).
    """
    if service == "s3":
        return SimulatedError(service, "ExpiredToken", "The provided token has expired.", 400)
    status = 403 if service in ("iam", "sqs") else 400
    return SimulatedError(
        service, "ExpiredToken", "The security token included in the request is expired", status
    )
