/*
 * Factsheet search: the box in Material's header (partials/search.html), over this
 * language's Pagefind index (pagefind/, built by the factsheet plugin; generator/search.py).
 *
 * Nothing is fetched until the reader focuses the box (or presses / or s): then the folding
 * table (assets/javascripts/folding.json, generated from generator/data/folding.json, the
 * one table the index was folded with) and Pagefind's script, wasm and page list arrive,
 * and each query loads only the index chunks and result fragments it needs.
 *
 * A query is folded exactly as the index was (fold below mirrors generator/text.py:fold),
 * then searched as typed and with each two adjacent words joined, because the index holds
 * every two adjacent words joined too: «عین الاسد», «عین‌الأسد» and «عینالاسد» meet.
 * Titles and excerpts come from the page as published, never folded: an indexed page ends
 * with a marker after which everything is for matching only.
 */
(() => {
  "use strict";

  const box = document.querySelector("[data-fs-search]");
  const toggle = document.getElementById("__search");
  const strings = document.getElementById("fs-search-labels");
  if (!box || !toggle || !strings) return;

  const L = JSON.parse(strings.textContent);
  const form = box.querySelector("form");
  const input = box.querySelector("input[name=query]");
  const status = box.querySelector(".md-search-result__meta");
  const list = box.querySelector(".md-search-result__list");
  const root = new URL(box.dataset.fsRoot.replace(/\/*$/, "/"), location.href);

  const MARKER = "\u2042"; // generator/search.py MARKER
  const PAGE_SIZE = 8; // results shown at once: each one fetches its page's fragment
  const EXCERPT_WORDS = 26;
  const MAX_JOINS = 4; // a long query is not searched in every joined form

  // -- folding (generator/text.py:fold, from the same table) ------------------------------

  function makeFold(table) {
    const replace = new Map();
    for (const [to, chars] of table.replace) for (const ch of chars) replace.set(ch, to);
    const casefold = new Map(Object.entries(table.casefold));
    return (text) => {
      let mapped = "";
      for (const ch of String(text).normalize("NFKC")) {
        const to = replace.get(ch);
        mapped += to === undefined ? ch : to;
      }
      // JavaScript has no casefold: lowercase each character, except where full case
      // folding differs (the table lists those, computed by Python).
      let folded = "";
      for (const ch of mapped) {
        const to = casefold.get(ch);
        folded += to === undefined ? ch.toLowerCase() : to;
      }
      return folded.split(" ").filter(Boolean).join(" ");
    };
  }

  // The query as typed, then with each two adjacent words joined.
  function queryForms(tokens) {
    const forms = [tokens.join(" ")];
    for (let i = 0; i + 1 < tokens.length && forms.length <= MAX_JOINS; i++) {
      const joined = [...tokens.slice(0, i), tokens[i] + tokens[i + 1], ...tokens.slice(i + 2)];
      forms.push(joined.join(" "));
    }
    return forms;
  }

  // -- the engine, loaded on first use ---------------------------------------------------

  let engine = null;

  function load() {
    if (!engine) {
      engine = (async () => {
        const tableUrl = new URL("assets/javascripts/folding.json", root);
        const [table, pagefind] = await Promise.all([
          fetch(tableUrl).then((response) => {
            if (!response.ok) throw new Error(`${tableUrl}: ${response.status}`);
            return response.json();
          }),
          import(new URL("pagefind/pagefind.js", root).href),
        ]);
        // No web worker: one script less to fetch, and a query here is quick.
        await pagefind.options({ basePath: new URL("pagefind/", root).href, noWorker: true });
        await pagefind.init();
        return { fold: makeFold(table), pagefind };
      })();
      engine.catch(() => {
        engine = null; // let a later attempt retry, e.g. after a network hiccup
      });
    }
    return engine;
  }

  async function search(query) {
    const { fold, pagefind } = await load();
    const tokens = fold(query).split(" ").filter(Boolean);
    if (!tokens.length) return { tokens, results: [] };
    const found = await Promise.all(queryForms(tokens).map((form) => pagefind.search(form)));
    const best = new Map();
    for (const { results } of found) {
      for (const result of results) {
        const seen = best.get(result.id);
        if (!seen || result.score > seen.score) best.set(result.id, result);
      }
    }
    const results = [...best.values()].sort((a, b) => b.score - a.score);
    return { tokens, results };
  }

  // -- a result as the reader sees it ----------------------------------------------------

  const escapeHtml = (text) =>
    text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

  function matchTerms(tokens) {
    const terms = new Set(tokens);
    for (let i = 0; i + 1 < tokens.length; i++) terms.add(tokens[i] + tokens[i + 1]);
    return [...terms];
  }

  // Words of the published text around the best matches, matches marked. Pagefind's own
  // locations find what its stemming matched; folding each word finds the rest.
  function excerpt(data, fold, terms) {
    const words = data.content.split(/[\r\n\s]+/g);
    let end = words.lastIndexOf(MARKER);
    if (end < 0) end = words.length;
    const marked = new Set((data.locations || []).filter((at) => at < end));
    const hits = (candidate) => terms.some((term) => candidate.startsWith(term));
    const folded = words.slice(0, end).map((word) => fold(word).split(" ").filter(Boolean));
    for (let i = 0; i < end; i++) {
      const own = folded[i];
      if (!own.length) continue;
      if (own.some(hits) || hits(own.join(""))) {
        marked.add(i);
        continue;
      }
      const next = folded[i + 1];
      if (next && next.length && hits(own[own.length - 1] + next[0])) {
        marked.add(i);
        marked.add(i + 1);
      }
    }
    const at = [...marked].sort((a, b) => a - b);
    let start = 0;
    let most = 0;
    for (const first of at) {
      const from = Math.max(0, first - 3);
      const count = at.filter((p) => p >= from && p < from + EXCERPT_WORDS).length;
      if (count > most) [start, most] = [from, count];
    }
    const stop = Math.min(end, start + EXCERPT_WORDS);
    const shown = [];
    for (let i = start; i < stop; i++) {
      const word = escapeHtml(words[i]);
      shown.push(marked.has(i) ? `<mark>${word}</mark>` : word);
    }
    return (start > 0 ? "… " : "") + shown.join(" ") + (stop < end ? " …" : "");
  }

  function resultUrl(data) {
    const url = new URL(String(data.raw_url || data.url).replace(/^\/+/, ""), root);
    return url.origin === root.origin ? url.href : root.href;
  }

  function renderItem(data, fold, terms) {
    const item = document.createElement("li");
    item.className = "md-search-result__item";
    const title = escapeHtml(String(data.meta?.title ?? ""));
    const kind = escapeHtml(String(data.meta?.kind ?? ""));
    item.innerHTML =
      `<a class="md-search-result__link" href="${escapeHtml(resultUrl(data))}">` +
      '<article class="md-search-result__article md-typeset">' +
      '<div class="md-search-result__icon md-icon"></div>' +
      `<h1>${kind ? `<span class="fs-kind">${kind}</span> ` : ""}${title}</h1>` +
      `<p>${excerpt(data, fold, terms)}</p>` +
      "</article></a>";
    return item;
  }

  const number = (n) => String(n).replace(/[0-9]/g, (d) => L.digits[Number(d)]);

  function countLabel(n) {
    if (n === 0) return L.search_none;
    if (n === 1) return L.search_one;
    return L.search_many.replace("{n}", number(n));
  }

  // -- the box ---------------------------------------------------------------------------

  let shown = null; // {results, next, fold, terms} of the query on screen
  let ticket = 0; // only the latest query may draw

  async function showMore() {
    const view = shown;
    if (!view) return;
    const page = view.results.slice(view.next, view.next + PAGE_SIZE);
    view.next += page.length;
    const data = await Promise.all(page.map((result) => result.data()));
    if (view !== shown) return;
    list.querySelector(".fs-search-more")?.remove();
    for (const d of data) list.append(renderItem(d, view.fold, view.terms));
    if (view.next < view.results.length) {
      const more = document.createElement("li");
      more.className = "fs-search-more";
      more.innerHTML =
        '<details class="md-search-result__more"><summary><div></div></summary></details>';
      more.querySelector("div").textContent = L.search_more;
      more.querySelector("details").addEventListener("toggle", () => showMore());
      list.append(more);
    }
  }

  async function update() {
    const mine = ++ticket;
    const query = input.value;
    if (!query.trim()) {
      shown = null;
      list.replaceChildren();
      status.textContent = L.search_prompt;
      return;
    }
    if (!engine) status.textContent = L.search_loading;
    try {
      const { fold } = await load();
      const { tokens, results } = await search(query);
      if (mine !== ticket) return;
      shown = { results, next: 0, fold, terms: matchTerms(tokens) };
      list.replaceChildren();
      status.textContent = countLabel(results.length);
      await showMore();
    } catch (error) {
      if (mine !== ticket) return;
      console.error("factsheet search:", error);
      status.textContent = L.search_error;
    }
  }

  let timer = 0;
  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(update, 120);
  });

  function open() {
    if (!toggle.checked) toggle.checked = true;
    if (document.activeElement !== input) input.focus();
    load().catch(() => {
      status.textContent = L.search_error;
    });
  }

  function close() {
    toggle.checked = false;
    if (box.contains(document.activeElement)) document.activeElement.blur();
  }

  input.addEventListener("focus", open);
  toggle.addEventListener("change", () => (toggle.checked ? open() : close()));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    list.querySelector("a")?.click();
  });
  form.addEventListener("reset", () => {
    setTimeout(() => {
      update();
      input.focus();
    });
  });

  // Arrows walk from the box through the results; Enter follows a link (the browser's
  // own behaviour); Escape closes.
  function step(by) {
    const stops = [input, ...list.querySelectorAll("a.md-search-result__link, summary")];
    const at = stops.indexOf(document.activeElement);
    const to = stops[Math.min(stops.length - 1, Math.max(0, at + by))];
    to.focus();
    to.scrollIntoView?.({ block: "nearest" });
  }

  const typing = (el) =>
    el instanceof HTMLElement &&
    (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName));

  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey || event.isComposing) return;
    if (toggle.checked) {
      if (event.key === "Escape") {
        event.preventDefault();
        close();
      } else if (box.contains(document.activeElement)) {
        if (event.key === "ArrowDown" || event.key === "ArrowUp") {
          event.preventDefault();
          step(event.key === "ArrowDown" ? 1 : -1);
        }
      }
      return;
    }
    if (typing(event.target)) return;
    // By key and by physical key: on a Persian layout the S key types «س».
    if (event.key === "/" || event.key === "s" || event.code === "Slash" || event.code === "KeyS") {
      event.preventDefault();
      open();
    }
  });

  // For tests and benchmarks: the same functions the box uses.
  window.factsheetSearch = {
    load: () => load().then(() => true),
    fold: async (text) => (await load()).fold(text),
    search: async (query) => {
      const { fold } = await load();
      const { tokens, results } = await search(query);
      const data = await Promise.all(results.slice(0, PAGE_SIZE).map((r) => r.data()));
      const terms = matchTerms(tokens);
      return {
        count: results.length,
        results: data.map((d) => ({
          url: resultUrl(d),
          title: d.meta?.title ?? "",
          kind: d.meta?.kind ?? "",
          excerpt: excerpt(d, fold, terms),
        })),
      };
    },
  };
})();
