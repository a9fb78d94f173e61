/*
 * Factsheet search: the box in Material's header (partials/search.html) and the engine
 * over this language's index (search/, written by generator/search.py at every build).
 *
 * Nothing is fetched until the reader focuses the box (or presses / or s). Then come the
 * folding table (generated from generator/data/folding.json, the table the index was
 * folded with) and the list of index chunks; each query then fetches only the chunks its
 * words fall in and the pages it shows. The index files are gzipped JSON.
 *
 * A query is folded exactly as the index was (fold below mirrors generator/text.py:fold),
 * then searched as typed and with each two adjacent words joined, because the index holds
 * every two adjacent words joined too: «عین الاسد», «عین‌الأسد» and «عینالاسد» meet.
 * Every word matches the terms it begins. Titles and excerpts are the published text,
 * never folded; the words that matched are marked.
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
  const bundle = new URL("search/", root);

  const FORMAT = 2; // generator/search.py FORMAT: a script cached from another build refuses
  const PAGE_SIZE = 8; // results shown at once: each one fetches its page's text
  const EXCERPT_WORDS = 26;
  const MAX_JOINS = 4; // a long query is not searched in every joined form
  const MAX_PREFIX_CHUNKS = 3; // a short word begins many terms: look in this many chunks
  const K1 = 1.2; // generator/search.py K1 and SCORE_MAX
  const SCORE_MAX = 255;

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
    const forms = [tokens];
    for (let i = 0; i + 1 < tokens.length && forms.length <= MAX_JOINS; i++) {
      forms.push([...tokens.slice(0, i), tokens[i] + tokens[i + 1], ...tokens.slice(i + 2)]);
    }
    return forms;
  }

  // -- the index, loaded on first use ----------------------------------------------------

  async function fetchData(url, options) {
    const response = await fetch(url, options);
    if (!response.ok) throw new Error(`${url}: ${response.status}`);
    let bytes = new Uint8Array(await response.arrayBuffer());
    // Gzipped by the build; a host that already decoded it sends plain JSON.
    if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
      const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
      bytes = new Uint8Array(await new Response(stream).arrayBuffer());
    }
    return JSON.parse(new TextDecoder().decode(bytes));
  }

  let engine = null;

  function load() {
    if (!engine) {
      engine = (async () => {
        // Always asked afresh (a tiny file): it names the current build's folder, so a
        // cached page never mixes two builds' files.
        const entry = await fetchData(new URL("entry.json", bundle), { cache: "no-cache" });
        const base = new URL(entry.path, bundle);
        const [index, table] = await Promise.all([
          fetchData(new URL("index", base)),
          fetchData(new URL("folding", base)),
        ]);
        if (index.v !== FORMAT) throw new Error(`search index format ${index.v}, not ${FORMAT}`);
        return { base, index, fold: makeFold(table), chunks: new Map(), pages: new Map() };
      })();
      engine.catch(() => {
        engine = null; // let a later attempt retry, e.g. after a network hiccup
      });
    }
    return engine;
  }

  function chunk(ix, n) {
    if (!ix.chunks.has(n)) {
      const loading = fetchData(new URL(`c/${n}`, ix.base));
      loading.catch(() => ix.chunks.delete(n));
      ix.chunks.set(n, loading);
    }
    return ix.chunks.get(n);
  }

  // A page's title, kind and text: d/<g> holds index.per pages in a row, fetched once.
  async function page(ix, n) {
    const per = ix.index.per;
    const g = Math.floor(n / per);
    if (!ix.pages.has(g)) {
      const loading = fetchData(new URL(`d/${g}`, ix.base));
      loading.catch(() => ix.pages.delete(g));
      ix.pages.set(g, loading);
    }
    return (await ix.pages.get(g))[n % per];
  }

  // The chunks that may hold terms equal to, or (prefix) beginning with, a word. Chunks
  // are listed by first term, in UTF-16 order, which is how < compares strings here.
  function chunksFor(firsts, word, prefix) {
    let lo = 0;
    let hi = firsts.length - 1;
    let at = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (firsts[mid] <= word) {
        at = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    const out = at >= 0 ? [at] : [];
    if (prefix) {
      for (let i = at + 1; i < firsts.length && out.length < MAX_PREFIX_CHUNKS; i++) {
        if (!firsts[i].startsWith(word)) break;
        out.push(i);
      }
    }
    return out;
  }

  // Pages with a term equal to, or beginning with, the word, scored by BM25: the index
  // stores each page's term-frequency part; the idf is the word's, from how many pages
  // it is on (a word beginning many terms is as common as they are together). A term
  // longer than the word counts by how much of it the word covers.
  async function matchWord(ix, word) {
    const prefix = [...word].length > 1;
    const found = await Promise.all(chunksFor(ix.index.chunks, word, prefix).map((n) => chunk(ix, n)));
    const values = new Map();
    let complete = true;
    let df = 0;
    for (const terms of found) {
      for (const term in terms) {
        if (term !== word && !(prefix && term.startsWith(word))) continue;
        const entry = terms[term];
        const factor = term === word ? 1 : 0.3 + (0.7 * word.length) / term.length;
        if (entry[0] !== (entry.length - 1) / 2) complete = false;
        df = Math.max(df, entry[0]);
        let at = 0;
        for (let i = 1; i < entry.length; i += 2) {
          at += entry[i];
          const value = entry[i + 1] * factor;
          if (value > (values.get(at) ?? 0)) values.set(at, value);
        }
      }
    }
    const pages = ix.index.pages;
    df = Math.min(pages, Math.max(df, values.size));
    const idf = Math.log(1 + (pages - df + 0.5) / (df + 0.5));
    const scores = new Map();
    for (const [at, value] of values) scores.set(at, (idf * value * (K1 + 1)) / SCORE_MAX);
    return { scores, complete };
  }

  // Pages with every word, by the sum of their scores. A word whose term lists only its
  // best pages (on too many pages to list all) ranks but does not filter.
  async function matchForm(ix, words) {
    const matched = await Promise.all([...new Set(words)].map((w) => matchWord(ix, w)));
    const required = matched.filter((m) => m.complete).sort((a, b) => a.scores.size - b.scores.size);
    let pages;
    if (required.length) {
      pages = [...required[0].scores.keys()].filter((p) => required.every((m) => m.scores.has(p)));
    } else {
      pages = [...new Set(matched.flatMap((m) => [...m.scores.keys()]))];
    }
    const scored = new Map();
    for (const p of pages) {
      let total = 0;
      for (const m of matched) total += m.scores.get(p) ?? 0;
      scored.set(p, total);
    }
    return { scored, approximate: matched.some((m) => !m.complete) };
  }

  async function search(query) {
    const ix = await load();
    const tokens = ix.fold(query).split(" ").filter(Boolean);
    if (!tokens.length) return { ix, tokens, results: [], approximate: false };
    const forms = await Promise.all(queryForms(tokens).map((words) => matchForm(ix, words)));
    const best = new Map();
    for (const { scored } of forms) {
      for (const [p, value] of scored) if (value > (best.get(p) ?? 0)) best.set(p, value);
    }
    const results = [...best].sort((a, b) => b[1] - a[1] || a[0] - b[0]).map(([p]) => p);
    return { ix, tokens, results, approximate: forms.some((f) => f.approximate) };
  }

  // -- a result as the reader sees it ----------------------------------------------------

  const escapeHtml = (text) => String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

  function matchTerms(tokens) {
    const terms = new Set(tokens);
    for (let i = 0; i + 1 < tokens.length; i++) terms.add(tokens[i] + tokens[i + 1]);
    return [...terms];
  }

  // Which published words matched: each word folded, alone or joined with the next.
  function marks(words, fold, terms) {
    const hits = (candidate) => terms.some((term) => candidate.startsWith(term));
    const folded = words.map((word) => fold(word).split(" ").filter(Boolean));
    const marked = new Set();
    for (let i = 0; i < words.length; i++) {
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
    return marked;
  }

  const markup = (words, marked, from, to) =>
    words
      .slice(from, to)
      .map((w, i) => (marked.has(from + i) ? `<mark>${escapeHtml(w)}</mark>` : escapeHtml(w)))
      .join(" ");

  // Words of the published text around the most matches, the matches marked.
  function excerpt(text, fold, terms) {
    const words = text.split(/\s+/).filter(Boolean);
    const marked = marks(words, fold, terms);
    const at = [...marked].sort((a, b) => a - b);
    let start = 0;
    let most = 0;
    for (const first of at) {
      const from = Math.max(0, first - 3);
      const count = at.filter((p) => p >= from && p < from + EXCERPT_WORDS).length;
      if (count > most) [start, most] = [from, count];
    }
    const stop = Math.min(words.length, start + EXCERPT_WORDS);
    return (start > 0 ? "… " : "") + markup(words, marked, start, stop) + (stop < words.length ? " …" : "");
  }

  function title(text, fold, terms) {
    const words = text.split(/\s+/).filter(Boolean);
    return markup(words, marks(words, fold, terms), 0, words.length);
  }

  function pageUrl(record) {
    const url = new URL(String(record.u).replace(/^\/+/, ""), root);
    return url.origin === root.origin ? url.href : root.href;
  }

  function shown(record, fold, terms) {
    return {
      url: pageUrl(record),
      title: title(record.t, fold, terms),
      kind: escapeHtml(record.k),
      excerpt: excerpt(record.x, fold, terms),
    };
  }

  function renderItem(result) {
    const item = document.createElement("li");
    item.className = "md-search-result__item";
    item.innerHTML =
      `<a class="md-search-result__link" href="${escapeHtml(result.url)}">` +
      '<article class="md-search-result__article md-typeset">' +
      '<div class="md-search-result__icon md-icon"></div>' +
      `<h1><span class="fs-kind">${result.kind}</span> ${result.title}</h1>` +
      `<p>${result.excerpt}</p>` +
      "</article></a>";
    return item;
  }

  const number = (n) => String(n).replace(/[0-9]/g, (d) => L.search_digits[Number(d)]);

  // A very common word lists only its best pages: then the count is a lower bound.
  function countLabel(n, approximate) {
    if (n === 0) return L.search_none;
    if (approximate) return L.search_at_least.replace("{n}", number(n));
    if (n === 1) return L.search_one;
    return L.search_many.replace("{n}", number(n));
  }

  // -- the box ---------------------------------------------------------------------------

  let view = null; // the query on screen: {found, next, terms}
  let ticket = 0; // only the latest query may draw

  async function showMore() {
    const current = view;
    if (!current) return;
    const { ix, results } = current.found;
    const batch = results.slice(current.next, current.next + PAGE_SIZE);
    current.next += batch.length;
    const records = await Promise.all(batch.map((n) => page(ix, n)));
    if (current !== view) return;
    list.querySelector(".fs-search-more")?.remove();
    for (const record of records) list.append(renderItem(shown(record, ix.fold, current.terms)));
    if (current.next < results.length) {
      const more = document.createElement("li");
      more.className = "fs-search-more";
      more.innerHTML = '<details class="md-search-result__more"><summary><div></div></summary></details>';
      more.querySelector("div").textContent = L.search_more;
      more.querySelector("details").addEventListener("toggle", () => showMore());
      list.append(more);
    }
  }

  async function update() {
    const mine = ++ticket;
    const query = input.value;
    if (!query.trim()) {
      view = null;
      list.replaceChildren();
      status.textContent = L.search_prompt;
      return;
    }
    if (!engine) status.textContent = L.search_loading;
    try {
      const found = await search(query);
      if (mine !== ticket) return;
      view = { found, next: 0, terms: matchTerms(found.tokens) };
      list.replaceChildren();
      status.textContent = countLabel(found.results.length, found.approximate);
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
    el instanceof HTMLElement && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName));

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

  // For tests and benchmarks: what the box does for a query, without drawing it.
  window.factsheetSearch = {
    load: () => load().then(() => true),
    fold: async (text) => (await load()).fold(text),
    search: async (query) => {
      const found = await search(query);
      const terms = matchTerms(found.tokens);
      const records = await Promise.all(found.results.slice(0, PAGE_SIZE).map((n) => page(found.ix, n)));
      return {
        count: found.results.length,
        approximate: found.approximate,
        results: records.map((record) => shown(record, found.ix.fold, terms)),
      };
    },
  };
})();
