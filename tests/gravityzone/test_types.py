from gravityzone.types import (
    LicenseInfo,
    LicenseType,
    MonthlySubscription,
    MonthlyUsage,
    MonthlyUsagePerProductType,
    OwnUse,
    to_params,
)


def test_false_and_zero_are_sent():
    params = to_params(MonthlySubscription(reserved_slots=0, manage_exchange=False))

    assert params == {"reservedSlots": 0, "manageExchange": False}


def test_unset_settings_are_left_out():
    assert to_params(MonthlySubscription()) == {}


def test_irregular_parameter_names_are_spelled_as_gravityzone_does():
    params = to_params(MonthlySubscription(own_use=OwnUse(manage_xdr_network=True)))

    assert params == {"ownUse": {"manageXDRNetwork": True}}


def test_usage_accepts_misspelled_a_la_carte_counter():
    usage = MonthlyUsage.from_api({"aLaCarteMonhtlyUsage": 7})

    assert usage.get("aLaCarteMonthlyUsage") == 7


def test_usage_prefers_correct_spelling_when_both_come():
    usage = MonthlyUsage.from_api({"aLaCarteMonthlyUsage": 7, "aLaCarteMonhtlyUsage": 9})

    assert usage.get("aLaCarteMonthlyUsage") == 7


def test_usage_keeps_unknown_counters():
    usage = MonthlyUsage.from_api({"endpointMonthlyUsage": 4, "quantumShieldMonthlyUsage": 2})

    assert usage.counters["quantumShieldMonthlyUsage"] == 2


def test_usage_reads_minimum_usage_apart():
    usage = MonthlyUsage.from_api({"endpointMonthlyUsage": 4, "minimumUsage": {"endpointMonthlyUsage": 50}})

    assert usage.minimum_usage == {"endpointMonthlyUsage": 50}
    assert "minimumUsage" not in usage.counters


def per_product(*entries):
    return MonthlyUsagePerProductType.from_api({"usages": list(entries)})


def test_per_product_total_sums_instead_of_merging():
    endpoint_entry = {"productType": 0, "endpointMonthlyUsage": 10, "edrMonthlyUsage": 0}
    edr_entry = {"productType": 3, "endpointMonthlyUsage": 0, "edrMonthlyUsage": 5}

    total = per_product(endpoint_entry, edr_entry).total()

    assert (total.get("endpointMonthlyUsage"), total.get("edrMonthlyUsage")) == (10, 5)


def test_per_product_total_is_the_same_in_either_order():
    endpoint_entry = {"productType": 0, "endpointMonthlyUsage": 10, "edrMonthlyUsage": 0}
    edr_entry = {"productType": 3, "endpointMonthlyUsage": 2, "edrMonthlyUsage": 5}

    forward = per_product(endpoint_entry, edr_entry).total()
    backward = per_product(edr_entry, endpoint_entry).total()

    assert forward.counters == backward.counters


def test_license_info_accepts_documented_array():
    info = LicenseInfo.from_api([{"subscriptionType": 3, "usedSlots": 4, "totalSlots": None}])

    assert (info.subscription_type, info.used_slots, info.total_slots) == (LicenseType.MONTHLY_SUBSCRIPTION, 4, None)


def test_license_info_keeps_unknown_fields():
    info = LicenseInfo.from_api({"subscriptionType": 3, "usedLicenses": 4})

    assert info.extra == {"usedLicenses": 4}
