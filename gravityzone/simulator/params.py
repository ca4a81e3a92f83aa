"""Checks on the parameters of one call, rejected with -32602 as GravityZone does."""

from gravityzone.simulator.errors import invalid_params


def reject_unknown(params, allowed):
    unknown = sorted(set(params) - set(allowed))
    if unknown:
        raise invalid_params(f"Unknown parameter '{unknown[0]}'.")


def require(params, name):
    if name not in params:
        raise invalid_params(f"Missing required parameter '{name}'.")
    return params[name]


def check_string(params, name, *, max_length=None, required=False):
    if required:
        require(params, name)
    if name not in params:
        return None
    value = params[name]
    if not isinstance(value, str):
        raise invalid_params(f"Invalid value for '{name}': expected a string.")
    if max_length is not None and len(value) > max_length:
        raise invalid_params(f"Invalid value for '{name}': at most {max_length} characters are allowed.")
    return value


def check_integer(params, name, *, choices=None, minimum=None, maximum=None, required=False):
    if required:
        require(params, name)
    if name not in params:
        return None
    value = params[name]
    # bool is a subclass of int in Python, but JSON true is not an integer.
    if not isinstance(value, int) or isinstance(value, bool):
        raise invalid_params(f"Invalid value for '{name}': expected an integer.")
    if choices is not None and value not in choices:
        raise invalid_params(f"Invalid value for '{name}'.")
    if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
        raise invalid_params(f"Invalid value for '{name}': must be between {minimum} and {maximum}.")
    return value


def check_boolean(params, name):
    if name not in params:
        return None
    value = params[name]
    if not isinstance(value, bool):
        raise invalid_params(f"Invalid value for '{name}': expected a boolean.")
    return value


def check_object(params, name):
    if name not in params:
        return None
    value = params[name]
    if not isinstance(value, dict):
        raise invalid_params(f"Invalid value for '{name}': expected an object.")
    return value
