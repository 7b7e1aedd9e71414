// contests family: the quiz timer with autosave, and the question form's type switch.
// Loaded only on those pages (CSP: no inline scripts; data comes through json_script).
(() => {
  "use strict";

  const timerData = document.getElementById("quiz-timer");
  const form = document.getElementById("attempt-form");
  if (timerData && form) {
    const timer = JSON.parse(timerData.textContent);
    const countdown = document.getElementById("countdown");
    const progress = document.getElementById("quiz-progress");
    const csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
    // Count down from the server's seconds, not the phone's clock (which may be wrong).
    const end = Date.now() + timer.secondsLeft * 1000;
    let handedIn = false;

    const handIn = () => {
      if (handedIn) return;
      handedIn = true;
      const auto = document.createElement("input");
      auto.type = "hidden";
      auto.name = "auto";
      auto.value = "1";
      form.appendChild(auto);
      form.submit();
    };

    const tick = () => {
      const left = Math.max(0, Math.round((end - Date.now()) / 1000));
      const minutes = Math.floor(left / 60);
      const seconds = String(left % 60).padStart(2, "0");
      countdown.textContent = `${minutes}:${seconds}`;
      if (left <= 60) countdown.classList.replace("text-bg-primary", "text-bg-danger");
      // Hand in a moment early so the answers arrive before the server's deadline.
      if (left <= 2) handIn();
    };
    tick();
    window.setInterval(tick, 500);

    const answered = () => {
      const ids = new Set();
      form.querySelectorAll("[data-answer]").forEach((el) => {
        const filled = el.type === "radio" || el.type === "checkbox" ? el.checked : el.value.trim() !== "";
        if (filled) ids.add(el.dataset.answer);
      });
      return ids.size;
    };
    const showProgress = () => {
      if (progress) progress.textContent = `${answered()} / ${progress.dataset.total}`;
    };
    showProgress();

    const save = (answerId) => {
      const body = new URLSearchParams();
      body.append("answer", answerId);
      form.querySelectorAll(`[data-answer="${answerId}"]`).forEach((el) => {
        if ((el.type === "radio" || el.type === "checkbox") && !el.checked) return;
        body.append("value", el.value);
      });
      fetch(timer.saveUrl, {
        method: "POST",
        headers: { "X-CSRFToken": csrf },
        body,
        credentials: "same-origin",
      })
        .then((response) => response.json())
        .then((data) => {
          if (!data.ok && data.result) window.location.assign(data.result);
        })
        .catch(() => {
          // Offline for a moment: the answers still go with the hand-in.
        });
    };
    form.addEventListener("change", (event) => {
      const id = event.target.dataset.answer;
      if (id) {
        save(id);
        showProgress();
      }
    });
    form.addEventListener("submit", () => {
      handedIn = true;
    });
  }

  // Question form: show only the answer fields of the chosen type.
  const questionForm = document.getElementById("question-form");
  if (questionForm) {
    const kind = questionForm.querySelector("[name=kind]");
    const parts = {
      choice: questionForm.querySelector(".question-choice"),
      true_false: questionForm.querySelector(".question-true-false"),
      fill: questionForm.querySelector(".question-fill"),
    };
    const update = () => {
      const value = kind.value;
      const group = value === "single" || value === "multiple" ? "choice" : value;
      Object.entries(parts).forEach(([name, el]) => {
        if (el) el.hidden = name !== group;
      });
    };
    kind.addEventListener("change", update);
    update();
  }
})();
