import pickle

import pytest

from gravityzone.errors import InvalidParamsError, RateLimitedError, TransientError


@pytest.mark.parametrize(
    "error",
    [
        RateLimitedError("slow down", method="getMonthlyUsage", http_status=429, retry_after=2.5),
        TransientError("timed out", method="createCompany", request_sent=False),
        InvalidParamsError("Invalid params", method="createCompany", code=-32602, details="Invalid value for 'type'."),
    ],
    ids=type,
)
def test_errors_survive_pickling(error):
    restored = pickle.loads(pickle.dumps(error))

    assert (type(restored), vars(restored)) == (type(error), vars(error))


def test_error_text_names_method_and_details():
    error = InvalidParamsError("Invalid params", method="createCompany", details="Invalid value for 'type'.")

    assert str(error) == "createCompany: Invalid params: Invalid value for 'type'."
