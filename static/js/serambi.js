// Serambi's one small script. Every page works without it (forms post, pages reload); this
// only saves a librarian on a slow connection some page loads.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  function csrfToken(form) {
    var input = (form || document).querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function post(url, data, form) {
    return fetch(url, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(form), Accept: "application/json" },
    });
  }

  // Buttons that change something irreversible ask first.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-confirm]");
    if (button && !window.confirm(button.getAttribute("data-confirm"))) event.preventDefault();
  });

  // Preview: the same server-side rendering as a saved post, without leaving the page.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("form[data-editor] button[name=preview]");
    if (!button) return;
    var form = button.form;
    var target = form.querySelector("[data-preview-target]");
    var body = form.querySelector("textarea[name=body]");
    if (!target || !body) return;
    event.preventDefault();
    var data = new FormData();
    data.append("body", body.value);
    data.append("csrfmiddlewaretoken", csrfToken(form));
    button.disabled = true;
    post(form.getAttribute("data-editor"), data, form)
      .then(function (response) {
        // A redirect (an expired session leads to the sign-in page) is no preview.
        return response.ok && !response.redirected ? response.text() : Promise.reject();
      })
      .then(function (html) {
        target.innerHTML = html; // sanitised by the server (nh3)
        button.disabled = false;
      })
      .catch(function () {
        // Fall back to the full page, which previews (the button's value must be sent).
        button.disabled = false;
        form.requestSubmit(button);
      });
  });

  // Quote: copy a post's text into the answer box on the same page.
  document.addEventListener("click", function (event) {
    var link = event.target.closest("a[data-quote]");
    var textarea = document.querySelector(".reply textarea[name=body]");
    if (!link || !textarea) return;
    event.preventDefault();
    var post = link.closest(".post");
    var author = post.querySelector(".post__author").getAttribute("href").split("/").filter(Boolean).pop();
    var text = post.querySelector(".post__body").innerText.trim();
    var quoted = text.split("\n").map(function (line) { return "> " + line; }).join("\n");
    var template = (document.getElementById("actions") || link).getAttribute("data-quote-intro");
    var intro = template ? template.replace("%(username)s", author) : "@" + author + ":";
    textarea.value += (textarea.value ? "\n\n" : "") + intro + "\n" + quoted + "\n\n";
    textarea.focus();
    textarea.setSelectionRange(textarea.value.length, textarea.value.length);
  });

  // "Helpful" toggles in place.
  document.addEventListener("submit", function (event) {
    var button = event.submitter;
    var form = event.target;
    if (!button || form.dataset.plain || !/\/helpful\/$/.test(button.getAttribute("formaction") || "")) return;
    event.preventDefault();
    button.disabled = true;
    post(button.getAttribute("formaction"), new FormData(form), form)
      .then(function (response) {
        var json = (response.headers.get("Content-Type") || "").indexOf("application/json") === 0;
        return response.ok && json ? response.json() : Promise.reject();
      })
      .then(function (result) {
        button.disabled = false;
        button.setAttribute("aria-pressed", result.voted ? "true" : "false");
        button.classList.toggle("chip--on", result.voted);
        button.querySelector("span").textContent = result.count;
      })
      .catch(function () {
        // Once, the plain way: the page reloads and says what happened.
        button.disabled = false;
        form.dataset.plain = "1";
        form.requestSubmit(button);
      });
  });

  // Tag suggestions: existing tags that start with the word being typed.
  var tagsInput = document.querySelector("input[data-tags]");
  if (tagsInput) {
    var list = document.createElement("ul");
    list.className = "tag-suggestions";
    tagsInput.insertAdjacentElement("afterend", list);
    var timer;
    tagsInput.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        var words = tagsInput.value.split(/[,\s]+/);
        var current = words[words.length - 1];
        list.innerHTML = "";
        if (current.length < 2) return;
        var url = tagsInput.getAttribute("data-tags") + "?q=" + encodeURIComponent(current);
        var asked = tagsInput.value;
        fetch(url, { credentials: "same-origin" })
          .then(function (response) { return response.ok ? response.json() : Promise.reject(); })
          .then(function (result) {
            if (tagsInput.value !== asked) return; // a newer request is on its way
            result.tags.forEach(function (tag) {
              var item = document.createElement("li");
              var choose = document.createElement("button");
              choose.type = "button";
              choose.className = "chip";
              choose.textContent = "#" + tag;
              choose.addEventListener("click", function () {
                words[words.length - 1] = tag;
                tagsInput.value = words.join(", ") + ", ";
                list.innerHTML = "";
                tagsInput.focus();
              });
              item.appendChild(choose);
              list.appendChild(item);
            });
          })
          .catch(function () {}); // suggestions are a nicety: typing goes on without them
      }, 250);
    });
  }

  // A form with more text than the server takes (DATA_UPLOAD_MAX_MEMORY_SIZE) would be
  // refused after a long upload on a slow connection: say so before sending, while the text
  // is still in the form. Files are counted apart by the server, so they are left out here.
  var maxBody = parseInt(document.body.getAttribute("data-max-body"), 10);
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!maxBody || (form.method || "").toLowerCase() !== "post" || !window.TextEncoder) return;
    var size = 0;
    var encoder = new TextEncoder();
    new FormData(form, event.submitter || undefined).forEach(function (value, name) {
      if (typeof value === "string") size += encoder.encode(name + value).length + 2;
    });
    var alert = form.querySelector(".alert[data-too-large]");
    if (size <= maxBody) {
      if (alert) alert.remove();
      return;
    }
    event.preventDefault();
    if (!alert) {
      alert = document.createElement("p");
      alert.className = "alert alert--error";
      alert.setAttribute("role", "alert");
      alert.setAttribute("data-too-large", "");
      alert.textContent = document.body.getAttribute("data-max-body-message");
      form.insertBefore(alert, form.firstChild);
    }
    alert.scrollIntoView({ block: "center" });
  });

  // The "too large" page: back to the form, where the browser kept what was typed.
  document.querySelectorAll("[data-back]").forEach(function (button) {
    if (window.history.length < 2) return;
    button.hidden = false;
    button.addEventListener("click", function () { window.history.back(); });
  });

  // Search suggestions under a search box (data-suggest): titles that complete what is being
  // typed, as a listbox the arrow keys walk (the ARIA combobox pattern). Enter without a
  // chosen suggestion searches as usual.
  document.querySelectorAll("input[data-suggest]").forEach(function (input, number) {
    var list = document.createElement("ul");
    list.id = "suggestions-" + number;
    list.className = "suggestions";
    list.setAttribute("role", "listbox");
    list.hidden = true;
    input.insertAdjacentElement("afterend", list);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", list.id);
    var timer, active = -1;

    function close() {
      list.hidden = true;
      list.innerHTML = "";
      active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }
    function choose(index) {
      var options = list.querySelectorAll("[role=option]");
      if (!options.length) return;
      active = (index + options.length) % options.length;
      options.forEach(function (option, n) { option.setAttribute("aria-selected", n === active ? "true" : "false"); });
      input.setAttribute("aria-activedescendant", options[active].id);
    }
    input.addEventListener("input", function () {
      clearTimeout(timer);
      var asked = input.value;
      if (asked.trim().length < 2) return close();
      timer = setTimeout(function () {
        fetch(input.getAttribute("data-suggest") + "?q=" + encodeURIComponent(asked), { credentials: "same-origin" })
          .then(function (response) { return response.ok ? response.json() : Promise.reject(); })
          .then(function (result) {
            if (input.value !== asked) return;
            close();
            result.suggestions.forEach(function (suggestion, n) {
              var item = document.createElement("li");
              var link = document.createElement("a");
              item.id = list.id + "-" + n;
              item.setAttribute("role", "option");
              link.href = suggestion.url;
              link.textContent = suggestion.title;
              link.tabIndex = -1;
              item.appendChild(link);
              list.appendChild(item);
            });
            if (result.suggestions.length) {
              list.hidden = false;
              input.setAttribute("aria-expanded", "true");
            }
          })
          .catch(function () {}); // suggestions are a nicety: the search works without them
      }, 200);
    });
    input.addEventListener("keydown", function (event) {
      if (list.hidden) return;
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        choose(active + (event.key === "ArrowDown" ? 1 : -1));
      } else if (event.key === "Enter" && active >= 0) {
        event.preventDefault();
        window.location.href = list.querySelectorAll("[role=option] a")[active].href;
      } else if (event.key === "Escape") {
        close();
      }
    });
    input.addEventListener("blur", function () { setTimeout(close, 150); });
  });

  // "Similar questions and articles" while a question is being typed, and related questions
  // beside a topic: a fragment the server renders (search/similar/), shown in a live region.
  function similarInto(target, text, exclude) {
    var url = target.getAttribute("data-similar") + "?text=" + encodeURIComponent(text.slice(0, 1500));
    if (exclude) url += "&exclude=" + encodeURIComponent(exclude);
    return fetch(url, { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.text() : Promise.reject(); })
      .then(function (html) { target.innerHTML = html; }) // rendered and escaped by the server
      .catch(function () {});
  }
  var asking = document.querySelector("form [data-similar]");
  if (asking) {
    var askForm = asking.closest("form");
    var typed, waiting;
    askForm.addEventListener("input", function (event) {
      if (!event.target.matches("#id_title, #id_body")) return;
      clearTimeout(waiting);
      waiting = setTimeout(function () {
        var title = askForm.querySelector("#id_title").value;
        var text = title + " " + askForm.querySelector("#id_body").value;
        if (title.trim().length < 10 || text === typed) return;
        typed = text;
        similarInto(asking, text);
      }, 700);
    });
  }
  document.querySelectorAll("aside[data-similar]").forEach(function (aside) {
    similarInto(aside, aside.getAttribute("data-text"), aside.getAttribute("data-exclude"));
  });

  // A result of a logged search is opened: said as the page is left, without holding it up.
  var opened = document.getElementById("search-opened");
  if (opened && navigator.sendBeacon) {
    document.addEventListener("click", function (event) {
      if (!event.target.closest(".search-hits a")) return;
      navigator.sendBeacon(opened.action, new FormData(opened));
    }, { once: true });
  }

  // Last, so that the handlers above have had their say (an in-place vote is not a post).
  // A second press while a post is on its way would post it twice (slow connections invite
  // it). Previews and "one more row" are not posts; a fallback above resubmits a prevented
  // submit, which this never counted.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var submitter = event.submitter;
    if ((form.method || "").toLowerCase() !== "post" || event.defaultPrevented) return;
    if (submitter && (submitter.name === "preview" || submitter.name === "more")) return;
    if (form.dataset.sending) {
      event.preventDefault();
      return;
    }
    form.dataset.sending = "1";
  });
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("form[data-sending]").forEach(function (form) {
      delete form.dataset.sending;
    });
  });
})();
