"""The general API: getApiKeyDetails."""

from gravityzone.simulator import params as p


def get_api_key_details(tenant, params, *, enabled_apis, created_at):
    p.reject_unknown(params, ())
    return {"enabledApis": sorted(enabled_apis), "createdAt": created_at}
