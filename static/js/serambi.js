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

  // "Print" on the programme's pages: the browser's own print (the page prints as a report).
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
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

  // Live updates (forum/consumers.py): one socket a page, for its topic (replayed from the
  // number it was rendered at), its topic list, and the member's badge. Without it, or
  // without script, pages are as fresh as their last load.
  var liveText = document.getElementById("live-text");
  var livePath = document.body.getAttribute("data-live");
  if (liveText && livePath && window.WebSocket) live(JSON.parse(liveText.textContent));

  function live(text) {
    var thread = document.querySelector("[data-topic]");
    var lists = document.querySelector("[data-lists]");
    var member = document.body.getAttribute("data-member");
    if (!thread && !lists && !member) return;
    var last = thread ? parseInt(thread.getAttribute("data-after"), 10) || 0 : 0;
    var delay = 1000, socket, pinger, typingTimer, newReplies = 0, newTopics = {}, repliedTopics = {};
    var notice = document.querySelector(".live-notice");

    function say(words, link, label) {
      if (!notice) return;
      notice.textContent = words + (link ? " " : "");
      if (link) {
        var a = document.createElement("a");
        a.href = link;
        a.textContent = label;
        notice.appendChild(a);
      }
      notice.hidden = false;
    }
    function counted(one, many, n) { return (n === 1 ? text[one] : text[many]).replace("{n}", n); }
    function connect() {
      var query = ["lang=" + encodeURIComponent(document.documentElement.lang)];
      if (thread) query.push("topic=" + thread.getAttribute("data-topic"), "after=" + last);
      if (lists) query.push("lists=1");
      var scheme = location.protocol === "https:" ? "wss://" : "ws://";
      socket = new WebSocket(scheme + location.host + livePath + "?" + query.join("&"));
      socket.onopen = function () {
        delay = 1000;
        document.body.setAttribute("data-live-state", "open");
        // Catches up what a paused channel layer did not deliver (Redis away), every 25 s.
        pinger = setInterval(function () { send({ type: "ping" }); }, 25000);
      };
      socket.onmessage = function (message) { handle(JSON.parse(message.data)); };
      socket.onclose = function (closed) {
        clearInterval(pinger);
        document.body.setAttribute("data-live-state", "closed");
        if (closed.code === 4404 || closed.code === 4413 || closed.code === 4429) return;
        // Back off, with jitter, so that a restarted server is not stormed by every page.
        setTimeout(connect, delay / 2 + Math.random() * delay);
        delay = Math.min(delay * 2, 30000);
      };
    }
    function send(message) {
      if (socket && socket.readyState === 1) socket.send(JSON.stringify(message));
    }
    function post(id) { return document.querySelector('article[data-post="' + id + '"]'); }
    function replace(event) {
      var old = post(event.post);
      if (!old) return;
      old.insertAdjacentHTML("afterend", event.html); // rendered and escaped by the server
      old.remove();
      controls(post(event.post));
    }
    function controls(article) {
      // What this reader may do with the post is theirs alone: fetched, never broadcast.
      var footer = article && article.querySelector("[data-controls]");
      if (!member || !footer) return;
      fetch(footer.getAttribute("data-controls"), { credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.text() : Promise.reject(); })
        .then(function (html) { footer.outerHTML = html; })
        .catch(function () {});
    }
    function handle(event) {
      if (event.number && event.number <= last) return; // already shown
      if (event.number) last = event.number;
      var handler = handlers[event.type];
      if (handler) handler(event);
    }
    var handlers = {
      "post.created": function (event) {
        if (!thread.hasAttribute("data-last-page") || post(event.post)) {
          newReplies += 1;
          return say(counted("replies_one", "replies_many", newReplies), location.pathname + "?page=9999", text.show);
        }
        var empty = thread.querySelector(".empty");
        if (empty) empty.remove();
        thread.insertAdjacentHTML("beforeend", event.html);
        controls(post(event.post));
      },
      "post.edited": replace, "post.deleted": replace, "post.hidden": replace, "post.unhidden": replace,
      "helpful.changed": function (event) {
        var article = post(event.post);
        if (!article) return;
        article.querySelectorAll(".post__actions .chip > span").forEach(function (count) {
          count.textContent = event.count;
        });
      },
      "solution.changed": function (event) {
        var box = document.querySelector("[data-solution]");
        if (box) box.innerHTML = event.html;
        document.querySelectorAll(".post--solution").forEach(function (a) { a.classList.remove("post--solution"); });
        if (event.post) { var chosen = post(event.post); if (chosen) chosen.classList.add("post--solution"); }
        document.querySelectorAll("article[data-post]").forEach(controls);
      },
      "topic.locked": function (event) { say(event.locked ? text.locked : text.unlocked, location.pathname, text.reload); },
      "topic.moved": function (event) { say(text.moved.replace("{name}", event.category.name), event.category.url, event.category.name); },
      "topic.merged": function (event) { say(text.merged, event.url, text.go_there); },
      "topic.hidden": function () { say(text.hidden); },
      "topic.grew": function () { say(text.grew, location.pathname, text.reload); },
      "topic.retitled": function (event) { var h1 = document.querySelector(".topic-head h1"); if (h1) h1.textContent = event.title; },
      "reload": function () { say(text.behind, location.pathname + location.search, text.reload); },
      "gone": function () { say(text.gone); },
      "typing": function (event) {
        var line = document.querySelector(".typing");
        if (!line) return;
        line.textContent = text.typing.replace("{name}", event.name);
        line.hidden = false;
        clearTimeout(typingTimer);
        typingTimer = setTimeout(function () { line.hidden = true; line.textContent = ""; }, 5000);
      },
      "topic.created": function (event) { listed(event, newTopics); },
      "topic.replied": function (event) { listed(event, repliedTopics); },
      "notification": function () {
        fetch(member, { credentials: "same-origin" })
          .then(function (response) { return response.ok ? response.json() : Promise.reject(); })
          .then(badge)
          .catch(function () {});
      },
    };
    function listed(event, seen) {
      if (!lists) return;
      var scope = lists.dataset;
      if (scope.category && scope.category !== event.category) return;
      if (scope.tag && event.tags.indexOf(scope.tag) < 0) return;
      if (scope.author && String(event.author) !== scope.author) return;
      seen[event.topic] = true;
      var parts = [], topics = Object.keys(newTopics).length, replied = Object.keys(repliedTopics).length;
      if (topics) parts.push(counted("topics_one", "topics_many", topics));
      if (replied) parts.push(counted("replied_one", "replied_many", replied));
      notice = lists.classList.contains("live-notice") ? lists : lists.querySelector(".live-notice");
      say(parts.join(" · ") + " —", location.pathname + location.search, text.show);
    }
    function badge(summary) {
      var bell = document.querySelector(".site-nav__bell");
      if (bell) {
        var count = bell.querySelector(".count");
        if (!count && summary.count) {
          bell.insertAdjacentHTML("beforeend", ' <span class="count"></span>');
          count = bell.querySelector(".count");
        }
        if (count) {
          count.textContent = summary.count;
          count.hidden = !summary.count;
        }
      }
      var toast = document.querySelector(".toast");
      var latest = summary.latest;
      if (toast && latest && (latest.kind === "mention" || latest.kind === "solution")) {
        toast.textContent = "";
        var link = document.createElement("a");
        link.href = latest.url;
        link.textContent = latest.text;
        toast.appendChild(link);
        toast.hidden = false;
        setTimeout(function () { toast.hidden = true; }, 8000);
      }
    }
    // "Sari is writing a reply…": a signal while the member types, at most every 3 s.
    var answer = document.querySelector(".reply textarea[name=body]");
    var typedAt = 0;
    if (answer && thread) answer.addEventListener("input", function () {
      if (Date.now() - typedAt < 3000) return;
      typedAt = Date.now();
      send({ type: "typing" });
    });
    connect();
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
