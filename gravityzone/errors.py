"""Errors raised by the GravityZone client.

Every exception holds only plain values (strings, integers, None), so it pickles and crosses a
Celery result or retry intact. The API key never goes into any of them.
"""

INVALID_PARAMS = -32602
INVALID_REQUEST = -32600
METHOD_NOT_FOUND = -32601
PARSE_ERROR = -32700
SERVER_ERROR = -32000


class GravityZoneError(Exception):
    """A call to the GravityZone API failed.

    `http_status` and `code` (the JSON-RPC error code) are None when the failure happened
    before GravityZone responded. `details` is GravityZone's own explanation, taken from
    `error.data.details`.
    """

    def __init__(self, message, *, method=None, http_status=None, code=None, details=None):
        super().__init__(message)
        self.message = message
        self.method = method
        self.http_status = http_status
        self.code = code
        self.details = details

    def __str__(self):
        text = self.message
        if self.details and self.details not in text:
            text = f"{text}: {self.details}"
        if self.method:
            text = f"{self.method}: {text}"
        return text

    def __reduce__(self):
        # Exception's default pickling passes only `args` back to __init__, which would lose
        # the keyword-only fields.
        fields = {
            "method": self.method,
            "http_status": self.http_status,
            "code": self.code,
            "details": self.details,
        }
        return _rebuild, (type(self), self.message, fields, self._extra_fields())

    def _extra_fields(self):
        return {}


def _rebuild(cls, message, fields, extra_fields):
    return cls(message, **fields, **extra_fields)


class AuthenticationError(GravityZoneError):
    """GravityZone rejected the API key (HTTP 401).

    It responds the same way to a missing header, an unknown key and a key that does not have
    the called API enabled.
    """


class InvalidParamsError(GravityZoneError):
    """GravityZone rejected the parameters (JSON-RPC -32602); `details` names the parameter."""


class ApiError(GravityZoneError):
    """GravityZone refused the call for an application reason, such as a name already in use."""


class RateLimitedError(GravityZoneError):
    """GravityZone responded with HTTP 429; `retry_after` is the wait it requested, in seconds."""

    def __init__(self, message, *, retry_after=None, **fields):
        super().__init__(message, **fields)
        self.retry_after = retry_after

    def _extra_fields(self):
        return {"retry_after": self.retry_after}


class TransientError(GravityZoneError):
    """The call failed in a way that may pass on a later try: 5xx, timeout or lost connection.

    `request_sent` is False only when the request certainly never reached GravityZone (the
    connection could not be opened). Otherwise GravityZone may have carried out the call.
    """

    def __init__(self, message, *, request_sent=True, **fields):
        super().__init__(message, **fields)
        self.request_sent = request_sent

    def _extra_fields(self):
        return {"request_sent": self.request_sent}


class ProtocolError(GravityZoneError):
    """The response was not a valid JSON-RPC 2.0 response to the request sent."""
