"""JSON-RPC errors the simulator responds with."""

from gravityzone.errors import INVALID_PARAMS, INVALID_REQUEST, METHOD_NOT_FOUND, PARSE_ERROR, SERVER_ERROR

MESSAGES = {
    PARSE_ERROR: "Parse error",
    INVALID_REQUEST: "Invalid Request",
    METHOD_NOT_FOUND: "Method not found",
    INVALID_PARAMS: "Invalid params",
    SERVER_ERROR: "Server error",
}


class RpcError(Exception):
    """An error response: a JSON-RPC error body sent with `http_status`."""

    def __init__(self, code, details, *, http_status=200):
        super().__init__(details)
        self.code = code
        self.details = details
        self.http_status = http_status

    def to_error(self):
        return {"code": self.code, "message": MESSAGES[self.code], "data": {"details": self.details}}


def invalid_params(details):
    return RpcError(INVALID_PARAMS, details)


def server_error(details):
    return RpcError(SERVER_ERROR, details)
