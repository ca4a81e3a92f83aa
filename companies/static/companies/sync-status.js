// Follow a pending GravityZone push on the company change page, updating the ID and the sync
// state in place, without reloading the form and losing what is being typed.
"use strict";
(function () {
  const POLL_INTERVAL_MS = 1500;
  const MAX_POLLS = 400;

  function follow(statusElement) {
    const idElement = document.querySelector("[data-gravityzone-id]");
    const requestsElement = document.querySelector("[data-next-requests]");
    let polls = 0;

    async function poll() {
      polls += 1;
      let status;
      try {
        const response = await fetch(statusElement.dataset.syncStatusUrl, {
          headers: { Accept: "application/json" },
          credentials: "same-origin",
        });
        if (!response.ok) {
          return;
        }
        status = await response.json();
      } catch (error) {
        status = null;
      }
      if (status) {
        statusElement.textContent = status.description;
        statusElement.dataset.syncState = status.state;
        if (idElement && status.gravityzone_id) {
          idElement.textContent = status.gravityzone_id;
        }
        if (requestsElement) {
          // Built by the server from the saved company, with its values escaped.
          requestsElement.innerHTML = status.next_requests;
        }
      }
      if ((!status || status.state === "pending") && polls < MAX_POLLS) {
        window.setTimeout(poll, POLL_INTERVAL_MS);
      }
    }

    window.setTimeout(poll, POLL_INTERVAL_MS);
  }

  document.addEventListener("DOMContentLoaded", function () {
    const statusElement = document.querySelector("[data-sync-status-url]");
    if (statusElement && statusElement.dataset.syncState === "pending") {
      follow(statusElement);
    }
  });
})();
