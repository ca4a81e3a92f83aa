// Show on the company page what GravityZone will do with the subscription while it is being
// edited: coupled settings follow each other, and settings that do not apply to the company
// type or licence type are dimmed. The server applies and checks the same rules on saving.
"use strict";
(function () {
  const PREFIX = "id_subscription-0-";
  const MONTHLY = "3";
  const INHERITED = ["3", "5"];
  const ENDPOINT_SECURITY = "0";

  function field(name) {
    return document.getElementById(PREFIX + name);
  }

  function rows(name) {
    return document.querySelectorAll(".field-" + name);
  }

  function setChecked(name, checked) {
    const input = field(name);
    if (input && input.checked !== checked) {
      input.checked = checked;
      input.dispatchEvent(new Event("change"));
    }
  }

  function markApplicable(names, applicable, reason) {
    names.forEach(function (name) {
      rows(name).forEach(function (row) {
        row.classList.toggle("not-applicable", !applicable);
        row.title = applicable ? "" : reason;
      });
    });
  }

  function companyIsPartner() {
    return document.getElementById("id_company_type").value === "0";
  }

  function trialLocked() {
    // A trial in GravityZone keeps its settings until it is switched to the monthly subscription.
    const storedTrial = String(JSON.parse(document.getElementById("stored-trial-type").textContent));
    return storedTrial !== "" && field("license_type").value === storedTrial;
  }

  function refresh() {
    document.querySelectorAll(".inline-related .not-applicable").forEach(function (row) {
      row.classList.remove("not-applicable");
      row.title = "";
    });
    const licenceType = field("license_type").value;
    const product = field("assigned_product_type").value;
    const monthly = licenceType === MONTHLY;
    const inherited = INHERITED.includes(licenceType);
    const partner = companyIsPartner();

    markApplicable(
      ["end_subscription", "auto_renew_period", "minimum_endpoints", "mdr_service"],
      monthly,
      "Applies only to the monthly subscription.",
    );
    markApplicable(["assigned_product_type"], inherited, "Applies only to the monthly subscription or its trial.");
    markApplicable(
      ["assigned_protection_model"],
      monthly && product === ENDPOINT_SECURITY,
      "Applies only to the monthly subscription with Endpoint Security.",
    );
    markApplicable(
      [
        "manage_xdr_identity_providers",
        "manage_xdr_productivity_apps",
        "manage_xdr_network",
        "manage_xdr_cloud_workloads",
      ],
      inherited,
      "Applies only to the monthly subscription or its trial.",
    );
    markApplicable(
      [
        "additional_product_types",
        "additional_protection_models",
        "clients_protection_model_change",
        "mdr_resell",
        "resell_xdr",
        "resell_remote_engines_scanning",
        "resell_container_protection",
        "resell_event_correlator",
        "resell_sandbox_analyzer",
        "resell_hyper_detect",
      ],
      partner,
      "Applies only to partners.",
    );
    markApplicable(
      ["im_data_retention"],
      field("manage_integrity_monitoring").checked,
      "Applies only with Integrity Monitoring on.",
    );
    if (trialLocked()) {
      document.querySelectorAll(".inline-related fieldset.module .form-row").forEach(function (row) {
        if (!row.classList.contains("field-license_type")) {
          row.classList.add("not-applicable");
          row.title = "GravityZone changes a trial's settings only once it is switched to the monthly subscription.";
        }
      });
    }
  }

  function followEdr() {
    const edr = field("manage_event_correlator").checked;
    setChecked("manage_sandbox_analyzer", edr);
    setChecked("manage_hyper_detect", edr);
  }

  function followMdr() {
    if (field("mdr_service").value === "1") {
      setChecked("manage_event_correlator", true);
      if (companyIsPartner()) {
        setChecked("mdr_resell", true);
      }
    }
  }

  function followEdrResell() {
    if (field("resell_event_correlator").checked) {
      setChecked("resell_sandbox_analyzer", true);
      setChecked("resell_hyper_detect", true);
    }
  }

  function followProtectionModel(defaults) {
    const chosen = defaults[field("assigned_protection_model").value] || [];
    document.querySelectorAll("input[name='subscription-0-additional_protection_models']").forEach(function (box) {
      box.checked = chosen.includes(box.value);
    });
  }

  function followIntegrityMonitoring() {
    if (!field("manage_integrity_monitoring").checked) {
      field("im_data_retention").value = "0";
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (!field("license_type")) {
      return;
    }
    const defaults = JSON.parse(document.getElementById("default-additional-models").textContent);
    const listeners = [
      ["manage_event_correlator", followEdr],
      ["mdr_service", followMdr],
      ["resell_event_correlator", followEdrResell],
      ["assigned_protection_model", function () { followProtectionModel(defaults); }],
      ["manage_integrity_monitoring", followIntegrityMonitoring],
    ];
    listeners.forEach(function ([name, listener]) {
      const input = field(name);
      if (input) {
        input.addEventListener("change", listener);
      }
    });
    document.querySelectorAll("select, input").forEach(function (input) {
      input.addEventListener("change", refresh);
    });
    refresh();
  });
})();
