/*
 * fazhi site search: Pagefind behind Material's header search box.
 *
 * Pagefind's bundle (<site>/pagefind/, written by the build hook) is loaded from the site
 * itself the first time the box is used; nothing is requested from any other host.
 *
 * Chinese queries. Pagefind segments pages with jieba when indexing, but segments queries
 * with the browser's Intl.Segmenter, and the two disagree on some compounds: 拘传 is one
 * indexed word but the query becomes 拘 + 传, which finds nothing; other queries return
 * pages holding the parts apart but not the word. So each query runs in two steps:
 *
 *   1. candidates: Pagefind's results for the whole query first (its ranking), then, for
 *      recall, the union of its results for every part of each word, in the order of how
 *      many parts a page matched; the pages where Pagefind's exact search finds each word
 *      as a phrase move to the front, in that order;
 *   2. check: a candidate is kept only if its text (Pagefind's fragment `content`)
 *      contains every word of the query, compared after NFKC and lower-casing.
 *
 * No result lacks a word of the query. Candidates are checked in rounds (ROUND_*): the
 * first round is shown at once, then the rest are checked in the background (up to
 * COUNT_CHECKS candidates) so that the reader is told one final count ("共找到 23 条结果")
 * rather than a count that grows while scrolling; the found results are shown ten at a
 * time as the reader scrolls to the end of the list (or presses the button). Each result
 * is labelled with its page's kind (案例, 专项行动, 机关 …, Pagefind metadata written by
 * partials/content.html); the staff guide comes after the records.
 * The index-chunk bounds are corrected at build time (fazhi/search.py) so that a term
 * like 涉 also loads the chunk holding 涉企.
 *
 * A large site is indexed in several Pagefind runs, but their bundles are merged into one
 * at build time (fazhi/search_merge.py): there is always one bundle, pagefind/, and one index.
 *
 * `window.fazhiSearch.run(query)` returns the checked results of a whole query; the
 * benchmark (bench/search_quality.py) and the tests use it to compare with page text.
 */
(() => {
  "use strict";

  /** Fragments fetched at once while checking candidates. */
  const BATCH = 10;
  /** A round stops once it has this many results (a screenful)… */
  const ROUND_RESULTS = 10;
  /** …or has checked this many candidates. */
  const ROUND_CHECKS = 40;
  /** Candidates checked in the background for the final count; beyond, on demand. */
  const COUNT_CHECKS = 400;
  /** Characters of context before a match in an excerpt, and excerpt length. */
  const EXCERPT_BEFORE = 24;
  const EXCERPT_LENGTH = 110;

  const TEXT = {
    placeholder: "键入以开始搜索",
    loading: "正在搜索……",
    none: "没有找到结果。请换一个词，或少写几个字再试。",
    counting: (n) => (n ? `已显示 ${n} 条结果，正在查找更多……` : "正在查找结果……"),
    found: (n) => `共找到 ${n} 条结果`,
    many: (n) => `已找到 ${n} 条结果；结果较多，滚动到列表末尾可以继续查找`,
    more: "显示更多结果",
    goOn: "继续查找",
    failed: "搜索暂时不可用，请稍后再试",
  };

  /** Kinds listed after the others within a round: the staff guide. */
  const LATE_KINDS = new Set(["指南"]);

  // --- text: normalisation and matching ------------------------------------------------------

  /**
   * NFKC and lower case, one character at a time, remembering for every character of the
   * result which characters of the original it came from (so a match can be highlighted
   * in the original text, whose full-width punctuation must stay as it is).
   */
  function normalise(text) {
    let out = "";
    const starts = [];
    const ends = [];
    let index = 0;
    for (const char of text) {
      const folded = char.normalize("NFKC").toLowerCase();
      for (let k = 0; k < folded.length; k += 1) {
        starts.push(index);
        ends.push(index + char.length);
      }
      out += folded;
      index += char.length;
    }
    return { text: out, starts, ends };
  }

  /** The words of a query: normalised, split on white space, without repeats. */
  function wordsOf(query) {
    return [...new Set(normalise(query).text.split(/\s+/u).filter(Boolean))];
  }

  const segmenter = typeof Intl !== "undefined" && Intl.Segmenter
    ? new Intl.Segmenter("zh", { granularity: "word" })
    : null;

  /** The parts of a word as Pagefind's query side sees them (Intl.Segmenter, zh). */
  function partsOf(word) {
    const parts = segmenter
      ? [...segmenter.segment(word)].map((s) => s.segment)
      : [...word];
    return [...new Set(parts.filter((part) => /[\p{L}\p{N}]/u.test(part)))];
  }

  /** Ranges [start, end) of every occurrence of every word in `norm.text`, merged, sorted. */
  function matchRanges(norm, words) {
    const ranges = [];
    for (const word of words) {
      let at = norm.text.indexOf(word);
      while (at !== -1) {
        ranges.push([at, at + word.length]);
        at = norm.text.indexOf(word, at + word.length);
      }
    }
    ranges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    const merged = [];
    for (const range of ranges) {
      const last = merged[merged.length - 1];
      if (last && range[0] <= last[1]) last[1] = Math.max(last[1], range[1]);
      else merged.push([...range]);
    }
    return merged;
  }

  /**
   * `text` cut to [from, to) (indexes into the original) as a list of [piece, marked]
   * pairs, marking the matches of `words`.
   */
  function highlight(text, words, from = 0, to = text.length) {
    const norm = normalise(text);
    const pieces = [];
    let cursor = from;
    for (const [start, end] of matchRanges(norm, words)) {
      const a = norm.starts[start];
      const b = norm.ends[end - 1];
      if (b <= from || a >= to) continue;
      const s = Math.max(a, from);
      const e = Math.min(b, to);
      if (s > cursor) pieces.push([text.slice(cursor, s), false]);
      pieces.push([text.slice(s, e), true]);
      cursor = e;
    }
    if (cursor < to) pieces.push([text.slice(cursor, to), false]);
    return pieces;
  }

  /**
   * Pagefind's `content` ends every block (heading, list item, cell) with ". " when it has
   * no punctuation of its own; after Chinese text that reads as a stray full stop, so
   * excerpts show a middle dot there instead. Matches are highlighted in the shown text.
   */
  function readable(content) {
    return content.replace(/([\p{Script=Han}）》」』”])\. /gu, "$1 · ");
  }

  /** An excerpt of `content` around the first match outside the leading title. */
  function excerpt(raw, title, words) {
    const content = readable(raw);
    const norm = normalise(content);
    // Pagefind's content starts with the page's <h1>, already shown as the result's title.
    const skip = title && content.startsWith(title) ? title.length : 0;
    let normSkip = norm.starts.findIndex((start) => start >= skip);
    if (normSkip === -1) normSkip = norm.text.length;
    // The first match after the title; only when there is none, the first match anywhere.
    const earliest = (from) => Math.min(...words.map((word) => {
      const at = norm.text.indexOf(word, from);
      return at === -1 ? Infinity : at;
    }));
    let first = earliest(normSkip);
    if (first === Infinity) first = earliest(0);
    if (first === Infinity) first = -1;
    const origin = first === -1 ? 0 : norm.starts[first];
    let from = Math.max(skip && origin >= skip ? skip : 0, origin - EXCERPT_BEFORE);
    // Start at a clause boundary when one is near, rather than mid-word.
    const lead = content.slice(from, origin);
    const boundary = Math.max(...["。", "；", "，", "·", "：", " "].map((mark) => lead.lastIndexOf(mark)));
    if (boundary !== -1) from += boundary + 1;
    while (from < origin && /[\s.,;:·，。；：、]/u.test(content[from])) from += 1;
    let to = Math.min(content.length, from + EXCERPT_LENGTH);
    for (const [start, end] of matchRanges(norm, words)) {
      // Never cut a match in two at either end of the excerpt.
      if (norm.starts[start] < from && norm.ends[end - 1] > from) from = norm.starts[start];
      if (norm.starts[start] < to && norm.ends[end - 1] > to) to = norm.ends[end - 1];
    }
    const pieces = highlight(content, words, from, to);
    if (from > 0) pieces.unshift(["…", false]);
    if (to < content.length) pieces.push(["…", false]);
    return pieces;
  }

  // --- search: candidates from Pagefind, checked against page text ---------------------------

  /** One query's results, found and checked a round at a time. */
  class Query {
    constructor(pagefind, query) {
      this.pagefind = pagefind;
      this.words = wordsOf(query);
      this.order = null; // candidate result objects, best first
      this.next = 0; // index of the first unchecked candidate
      this.checked = 0;
      this.found = 0;
    }

    get done() {
      return this.order !== null && this.next >= this.order.length;
    }

    /** Candidates not checked yet. */
    get left() {
      return this.order === null ? 0 : this.order.length - this.next;
    }

    async candidates() {
      const byId = new Map();
      const whole = this.words.join(" ");
      const first = await this.pagefind.search(whole);
      for (const result of first.results) byId.set(result.id, result);
      const ranked = first.results.map((result) => result.id);
      // Recall: every part of every word on its own. A page is kept when it turned up
      // for each word (through the word or one of its parts); pages matching more parts
      // come first.
      let keep = null;
      const hits = new Map();
      for (const word of this.words) {
        const terms = [...new Set([word, ...partsOf(word)])].filter((term) => term !== whole);
        const seen = new Set(this.words.length === 1 ? ranked : []);
        for (const term of terms) {
          const response = await this.pagefind.search(term);
          for (const result of response.results) {
            if (!byId.has(result.id)) byId.set(result.id, result);
            seen.add(result.id);
            hits.set(result.id, (hits.get(result.id) || 0) + 1);
          }
        }
        keep = keep === null ? seen : new Set([...keep].filter((id) => seen.has(id)));
      }
      const inFirst = new Set(ranked);
      const rest = [...(keep || [])].filter((id) => !inFirst.has(id));
      const position = new Map([...byId.keys()].map((id, i) => [id, i]));
      rest.sort((a, b) => (hits.get(b) || 0) - (hits.get(a) || 0) || position.get(a) - position.get(b));
      const order = [...ranked, ...rest];
      // Pages where Pagefind finds each word as a phrase (its parts next to each other) almost
      // always hold the words: they are checked first, so that the first round does not fetch
      // pages holding the parts apart (被 … 执行 … 人 for 被执行人), which it can fill with.
      const phrased = await this.phrased();
      return [...order.filter((id) => phrased.has(id)), ...order.filter((id) => !phrased.has(id))]
        .map((id) => byId.get(id));
    }

    /**
     * The pages Pagefind's exact search (a quoted query) finds for every word of the query.
     * It reads the index chunks the searches above have loaded: no further download.
     */
    async phrased() {
      let found = null;
      for (const word of this.words) {
        const response = await this.pagefind.search(`"${word}"`);
        const ids = new Set(response.results.map((result) => result.id));
        found = found === null ? ids : new Set([...found].filter((id) => ids.has(id)));
      }
      return found || new Set();
    }

    /**
     * The next results: at most `checks` candidates checked, stopping at `results`, or
     * as soon as `stale()` says nobody waits for them any more (the reader typed on).
     */
    async more(results = ROUND_RESULTS, checks = ROUND_CHECKS, stale = () => false) {
      if (this.order === null) this.order = this.words.length ? await this.candidates() : [];
      const out = [];
      let checkedNow = 0;
      while (!this.done && out.length < results && checkedNow < checks && !stale()) {
        const batch = this.order.slice(this.next, this.next + BATCH);
        const base = this.next;
        let data;
        try {
          data = await Promise.all(batch.map((result) => result.data()));
        } catch (error) {
          // A fragment did not load: keep what this round found, and the batch for a retry.
          if (out.length) break;
          throw error;
        }
        this.next += batch.length;
        checkedNow += batch.length;
        data.forEach((page, k) => {
          const hit = this.check(page, base + k);
          if (hit) out.push(hit);
        });
      }
      this.checked += checkedNow;
      this.found += out.length;
      // Pages whose title holds the words first, the guide last; otherwise the candidates' order.
      out.sort((a, b) => b.titleHits - a.titleHits || a.late - b.late || a.rank - b.rank);
      return out;
    }

    check(page, rank) {
      const content = normalise(page.content).text;
      if (!this.words.every((word) => content.includes(word))) return null;
      const title = (page.meta && page.meta.title) || page.url;
      const kind = (page.meta && page.meta.kind) || "";
      const folded = normalise(title).text;
      return {
        url: page.url,
        title,
        kind,
        late: LATE_KINDS.has(kind) ? 1 : 0,
        titleHits: this.words.filter((word) => folded.includes(word)).length,
        rank,
        titlePieces: highlight(title, this.words),
        excerptPieces: excerpt(page.content, title, this.words),
      };
    }
  }

  // --- the box in the header -----------------------------------------------------------------

  const box = document.querySelector("[data-fazhi-search]");
  const toggle = document.getElementById("__search");
  const input = box && box.querySelector("[data-fazhi-search-input]");
  const meta = box && box.querySelector("[data-fazhi-search-meta]");
  const list = box && box.querySelector("[data-fazhi-search-results]");
  // The site's root: base_url is relative on every page ("..") but a path on the 404 page
  // ("/pub/"), which is served at any depth.
  const root = new URL(`${((box && box.dataset.base) || ".").replace(/\/+$/, "")}/`, document.baseURI);

  let pagefindPromise = null;
  /** Pagefind's API, imported once from <site>/pagefind/ (a failed import is tried again). */
  function pagefind() {
    if (pagefindPromise === null) {
      pagefindPromise = import(new URL("pagefind/pagefind.js", root).href).then(async (api) => {
        await api.init();
        return api;
      });
      pagefindPromise.catch(() => {
        pagefindPromise = null;
      });
    }
    return pagefindPromise;
  }

  /** Every checked result of `query`, for tests and the benchmark. */
  async function run(query) {
    const search = new Query(await pagefind(), query);
    const results = await search.more(Infinity, Infinity);
    return { results, candidates: search.order.length, checked: search.checked };
  }

  window.fazhiSearch = { run, wordsOf, partsOf };

  if (!box || !toggle || !input || !meta || !list) return;

  let generation = 0;
  let current = null;
  let timer = 0;

  function setOpen(open) {
    if (toggle.checked !== open) toggle.click();
  }

  function links() {
    return [...list.querySelectorAll("a.md-search-result__link, button.fazhi-search__more")];
  }

  function piecesInto(element, pieces) {
    for (const [piece, marked] of pieces) {
      if (marked) {
        const mark = document.createElement("mark");
        mark.textContent = piece;
        element.append(mark);
      } else {
        element.append(document.createTextNode(piece));
      }
    }
  }

  function item(result) {
    const li = document.createElement("li");
    li.className = "md-search-result__item";
    const a = document.createElement("a");
    a.className = "md-search-result__link";
    a.href = result.url;
    const article = document.createElement("article");
    article.className = "md-search-result__article md-typeset";
    const icon = document.createElement("div");
    icon.className = "md-search-result__icon md-icon";
    const h1 = document.createElement("h1");
    if (result.kind) {
      const kind = document.createElement("span");
      kind.className = "fazhi-search__kind";
      kind.textContent = result.kind;
      h1.append(kind, " ");
    }
    piecesInto(h1, result.titlePieces);
    const p = document.createElement("p");
    piecesInto(p, result.excerptPieces);
    article.append(icon, h1, p);
    a.append(article);
    li.append(a);
    return li;
  }

  // The next round loads by itself when the reader scrolls to the end of the results, as
  // long as the last round found something; otherwise the button asks first.
  const scroller = box.querySelector(".md-search__scrollwrap");
  const autoMore = typeof IntersectionObserver === "undefined" ? null : new IntersectionObserver(
    (entries) => {
      if (entries.some((entry) => entry.isIntersecting)) showMore(false);
    }, { root: scroller, rootMargin: "0px 0px 200px 0px" });

  function moreButton(search, auto) {
    const li = document.createElement("li");
    li.className = "md-search-result__item fazhi-search__more-item";
    const button = document.createElement("button");
    button.type = "button";
    button.className = "fazhi-search__more";
    button.textContent = search.found ? TEXT.more : TEXT.goOn;
    button.addEventListener("click", () => showMore(true));
    li.append(button);
    if (auto && autoMore) autoMore.observe(li);
    return li;
  }

  /** What the status line says: a count only once it is final (or the search stopped). */
  function summary(state) {
    const { search } = state;
    if (state.working) return TEXT.counting(state.shown);
    if (search.done) return search.found ? TEXT.found(search.found) : TEXT.none;
    return TEXT.many(search.found);
  }

  /** Found results not shown yet, or candidates left to check. */
  function hasMore(state) {
    return state.buffer.length > 0 || !state.search.done;
  }

  function setMeta(state) {
    meta.textContent = summary(state);
    meta.dataset.state = state.working ? "working" : "done";
  }

  function clear() {
    if (autoMore) autoMore.disconnect();
    list.replaceChildren();
    reachable();
  }

  /**
   * The scrolling result pane must be reachable from the keyboard: through its links when
   * it has some (Tab goes from the box straight to the first result), else by itself.
   */
  function reachable() {
    if (links().length) scroller.removeAttribute("tabindex");
    else scroller.setAttribute("tabindex", "0");
  }

  function render(state, results, append) {
    const old = list.querySelector(".fazhi-search__more-item");
    if (old) {
      if (autoMore) autoMore.unobserve(old);
      old.remove();
    }
    if (!append) clear();
    const first = results.length ? item(results[0]) : null;
    if (first) list.append(first);
    for (const result of results.slice(1)) list.append(item(result));
    state.shown += results.length;
    if (hasMore(state)) list.append(moreButton(state.search, results.length > 0 || state.buffer.length > 0));
    reachable();
    setMeta(state);
    list.setAttribute("aria-busy", "false");
    return first;
  }

  /**
   * Check the remaining candidates in the background, keeping what they find for the
   * reader's next scroll, until all are checked (the count is then final) or COUNT_CHECKS
   * have been; then say the count once.
   */
  async function countRest(state, mine) {
    const { search } = state;
    state.working = !search.done;
    setMeta(state);
    while (!search.done && search.checked < COUNT_CHECKS && mine === generation) {
      try {
        state.buffer.push(...await search.more(Infinity, ROUND_CHECKS, () => mine !== generation));
      } catch (error) {
        console.error(error);
        break;
      }
      if (state.waiting) state.waiting();
    }
    if (mine !== generation) return;
    state.working = false;
    if (state.waiting) state.waiting();
    const button = list.querySelector(".fazhi-search__more-item");
    if (button && !hasMore(state) && !loadingMore) {
      if (autoMore) autoMore.unobserve(button);
      const focused = button.contains(document.activeElement);
      button.remove();
      if (focused) (links().at(-1) || input).focus();
    } else if (!button && hasMore(state)) {
      list.append(moreButton(search, state.buffer.length > 0));
    }
    reachable();
    setMeta(state);
  }

  let loadingMore = false;

  /** The next results: from those found in the background, else checked now. */
  async function nextResults(state, mine) {
    if (!state.buffer.length && state.working) {
      await new Promise((resolve) => {
        state.waiting = () => {
          if (state.buffer.length || !state.working) {
            state.waiting = null;
            resolve();
          }
        };
      });
    }
    if (state.buffer.length) return state.buffer.splice(0, ROUND_RESULTS);
    return state.search.more(ROUND_RESULTS, ROUND_CHECKS, () => mine !== generation);
  }

  async function showMore(focusNew) {
    const state = current;
    const mine = generation;
    if (!state || !hasMore(state) || loadingMore) return;
    loadingMore = true;
    list.setAttribute("aria-busy", "true");
    try {
      const results = await nextResults(state, mine);
      if (mine !== generation) return;
      const focused = list.contains(document.activeElement);
      const first = render(state, results, true);
      // Focus the first new result; never leave it on the page body when the button the
      // reader was on went away with no new result (Escape and the arrows act in the box).
      if (focusNew || (focused && !list.contains(document.activeElement))) {
        const target = (first && first.querySelector("a"))
          || list.querySelector("button.fazhi-search__more") || links().at(-1) || input;
        target.focus();
      }
    } catch (error) {
      if (mine !== generation) return;
      console.error(error);
      meta.textContent = TEXT.failed; // the button stays: pressing it tries again
      list.setAttribute("aria-busy", "false");
    } finally {
      loadingMore = false;
    }
  }

  async function start(query) {
    generation += 1;
    const mine = generation;
    if (!wordsOf(query).length) {
      current = null;
      clear();
      meta.textContent = TEXT.placeholder;
      return;
    }
    meta.textContent = TEXT.loading;
    meta.dataset.state = "working";
    list.setAttribute("aria-busy", "true");
    try {
      const search = new Query(await pagefind(), query);
      const results = await search.more(ROUND_RESULTS, ROUND_CHECKS, () => mine !== generation);
      if (mine !== generation) return;
      const state = { search, buffer: [], shown: 0, working: !search.done, waiting: null };
      current = state;
      render(state, results, false);
      countRest(state, mine);
    } catch (error) {
      if (mine !== generation) return;
      console.error(error);
      current = null;
      clear();
      meta.textContent = TEXT.failed;
    }
  }

  function isEditable(element) {
    return element instanceof HTMLElement && (
      element.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(element.tagName));
  }

  function open() {
    input.focus(); // opens the box too (focus handler)
    input.select();
  }

  function close() {
    setOpen(false);
    input.blur();
  }

  input.form.addEventListener("submit", (event) => event.preventDefault());
  input.form.addEventListener("reset", () => {
    start("");
    setTimeout(() => input.focus());
  });

  input.addEventListener("focus", () => {
    setOpen(true);
    pagefind().catch(() => {}); // start loading while the reader types
  });

  // With a Chinese input method the box holds pinyin until a word is chosen: search only
  // once the composition ends.
  function scheduled() {
    clearTimeout(timer);
    timer = setTimeout(() => start(input.value), 150);
  }

  input.addEventListener("input", (event) => {
    if (!event.isComposing) scheduled();
  });
  input.addEventListener("compositionend", scheduled);

  input.addEventListener("keydown", (event) => {
    if (event.isComposing || event.keyCode === 229) return; // keys for the input method
    if (event.key === "Escape") {
      event.preventDefault();
      close();
    } else if (event.key === "ArrowDown") {
      const [first] = links();
      if (first) {
        event.preventDefault();
        first.focus();
      }
    } else if (event.key === "Enter") {
      // Open the first result of what is in the box, not of an earlier query.
      event.preventDefault();
      clearTimeout(timer);
      const [first] = links();
      const shown = current && current.search.words.join(" ") === wordsOf(input.value).join(" ");
      if (shown && first instanceof HTMLAnchorElement) first.click();
      else start(input.value);
    }
  });

  list.addEventListener("keydown", (event) => {
    const all = links();
    const at = all.indexOf(document.activeElement);
    if (event.key === "Escape") {
      event.preventDefault();
      close();
    } else if (event.key === "ArrowDown" && at !== -1) {
      event.preventDefault();
      if (at + 1 < all.length) all[at + 1].focus();
    } else if (event.key === "ArrowUp" && at !== -1) {
      event.preventDefault();
      if (at > 0) all[at - 1].focus();
      else input.focus();
    }
  });

  list.addEventListener("click", (event) => {
    if (event.target instanceof Element && event.target.closest("a")) setOpen(false);
  });

  // Leaving the box with Tab closes it; clicks inside it (scroll bar, text) do not.
  box.addEventListener("focusout", (event) => {
    const next = event.relatedTarget;
    if (next instanceof Node && !box.contains(next)) setOpen(false);
  });

  // The header's magnifier (phones) and the overlay flip the toggle themselves.
  toggle.addEventListener("change", () => {
    if (toggle.checked) {
      setTimeout(() => {
        if (!box.contains(document.activeElement)) input.focus();
      }, 50);
    } else if (box.contains(document.activeElement)) {
      document.activeElement.blur();
    }
  });

  // Buttons in a page that open the box (the 404 page has one).
  for (const button of document.querySelectorAll("[data-fazhi-open-search]")) {
    button.addEventListener("click", open);
  }

  // `/` or `s` anywhere on the page (outside a text field) opens the box.
  // Escape closes the open box wherever the focus is (the box's own handlers come first).
  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey || event.isComposing) return;
    if (event.key === "Escape" && toggle.checked && !event.defaultPrevented) {
      close();
      return;
    }
    if (isEditable(event.target)) return;
    if (event.key === "/" || event.key === "s" || event.key === "S") {
      event.preventDefault();
      open();
    }
  });
})();
