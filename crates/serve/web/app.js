// The self-check page: reads a submission (pasted or from a file), posts it
// to /v1/evaluate and shows the HTML report in a sandboxed frame, the verdict
// beside it, the diagnostics of a submission the server refuses, and offers
// the report as files. No inline script, no eval, no request but to this
// server: the page works under `default-src 'self'`.
'use strict';

(function () {
  const TEXTS = {
    en: {
      title: 'recert self-check',
      language: 'Language',
      intro: 'Check a submission against the rule packs this server has loaded and read the report. Nothing is stored.',
      submission: 'Submission (YAML or JSON)',
      submissionHint: 'Paste it here or choose a file. Ctrl+Enter checks it.',
      file: 'Or read a file',
      at: 'Evaluation date',
      tokenSummary: 'Access token',
      token: 'Token, if this server asks for one',
      check: 'Check',
      problemsTitle: 'The server could not check it',
      resultTitle: 'Report',
      verdict: 'Verdict',
      downloadHtml: 'Download HTML',
      downloadJson: 'Download JSON',
      downloadSigned: 'Download signed report',
      reportFrame: 'Report',
      footer: 'The report is the one recert check writes for the same text.',
      empty: 'Paste a submission or choose a file first.',
      checking: 'Checking…',
      downloading: 'Preparing the file…',
      downloaded: (name) => `Saved ${name}.`,
      verdictIs: (word) => `Verdict: ${word}`,
      readFile: (name) => `Read ${name}.`,
      readFailed: (name) => `Could not read ${name}.`,
      failed: 'The server could not check the submission.',
      unreachable: 'The server did not answer. Try again.',
      tooLarge: 'The submission is larger than the server accepts.',
      busy: 'The server is busy.',
      retryAfter: (s) => `Try again in ${s} s.`,
      unauthorized: 'This server asks for an access token: enter it under “Access token”.',
      notSigning: 'This server does not sign reports.',
      status: (n) => `HTTP ${n}`,
      verdicts: {
        pass: 'PASS',
        fail: 'FAIL',
        incomplete: 'INCOMPLETE',
        'not-covered': 'NOT COVERED',
      },
    },
    zh: {
      title: 'recert 自检',
      language: '语言',
      intro: '按本服务器已加载的规则包检查一份提交资料并查看报告。不保存任何内容。',
      submission: '提交资料（YAML 或 JSON）',
      submissionHint: '粘贴到此处，或选择文件。按 Ctrl+Enter 开始检查。',
      file: '或读取文件',
      at: '评估日期',
      tokenSummary: '访问令牌',
      token: '令牌（服务器要求时填写）',
      check: '检查',
      problemsTitle: '服务器无法检查该资料',
      resultTitle: '报告',
      verdict: '结论',
      downloadHtml: '下载 HTML',
      downloadJson: '下载 JSON',
      downloadSigned: '下载签名报告',
      reportFrame: '评估报告',
      footer: '报告与 recert check 对同一内容生成的报告相同。',
      empty: '请先粘贴提交资料或选择文件。',
      checking: '正在检查…',
      downloading: '正在准备文件…',
      downloaded: (name) => `已保存 ${name}。`,
      verdictIs: (word) => `结论：${word}`,
      readFile: (name) => `已读取 ${name}。`,
      readFailed: (name) => `无法读取 ${name}。`,
      failed: '服务器无法检查该提交资料。',
      unreachable: '服务器没有响应，请重试。',
      tooLarge: '提交资料超出服务器允许的大小。',
      busy: '服务器繁忙。',
      retryAfter: (s) => `请在 ${s} 秒后重试。`,
      unauthorized: '本服务器需要访问令牌：请在“访问令牌”中填写。',
      notSigning: '本服务器不提供报告签名。',
      status: (n) => `HTTP ${n}`,
      verdicts: {
        pass: '通过',
        fail: '不通过',
        incomplete: '不完整',
        'not-covered': '未覆盖',
      },
    },
  };

  const $ = (id) => document.getElementById(id);
  const form = $('form');
  const textarea = $('submission');
  const fileInput = $('file');
  const atInput = $('at');
  const langSelect = $('lang');
  const tokenInput = $('token');
  const statusLine = $('status');
  const problems = $('problems');
  const result = $('result');
  const frame = $('report');
  const checkButton = $('check');
  const signedButton = $('download-signed');

  let lang = initialLang();
  // What the report on the page was made from: the downloads use it.
  let shown = null;
  // Set once the server said it does not sign.
  let signs = true;

  function initialLang() {
    const asked = new URLSearchParams(location.search).get('lang');
    if (asked === 'en' || asked === 'zh') return asked;
    return (navigator.language || '').toLowerCase().startsWith('zh') ? 'zh' : 'en';
  }

  function t() {
    return TEXTS[lang];
  }

  function today() {
    const d = new Date();
    const pad = (n) => String(n).padStart(2, '0');
    return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  }

  function setState(state) {
    document.body.dataset.state = state;
    form.setAttribute('aria-busy', state === 'busy' ? 'true' : 'false');
    checkButton.disabled = state === 'busy';
  }

  function applyLang() {
    const texts = t();
    document.documentElement.lang = lang === 'zh' ? 'zh-Hans' : 'en';
    langSelect.value = lang;
    for (const el of document.querySelectorAll('[data-i18n]')) {
      const text = texts[el.dataset.i18n];
      if (typeof text === 'string') el.textContent = text;
    }
    for (const el of document.querySelectorAll('[data-i18n-title]')) {
      const text = texts[el.dataset.i18nTitle];
      if (typeof text === 'string') el.title = text;
    }
    if (shown) showVerdict(shown.verdict, false);
  }

  function say(text) {
    statusLine.textContent = text;
  }

  function headers() {
    const h = { 'Content-Type': 'text/plain; charset=utf-8' };
    const token = tokenInput.value.trim();
    if (token) h.Authorization = `Bearer ${token}`;
    return h;
  }

  async function post(request, format, sign) {
    const query = new URLSearchParams({ format, lang: request.lang, at: request.at });
    if (sign) query.set('sign', 'true');
    return fetch(`/v1/evaluate?${query}`, {
      method: 'POST',
      body: request.body,
      headers: headers(),
      credentials: 'same-origin',
      cache: 'no-store',
    });
  }

  // The diagnostics of a refused request, from problem+json or, when the
  // server answers in plain text, from its `file:line:col: code: message
  // (at /path)` lines.
  async function problemsOf(response) {
    const type = response.headers.get('Content-Type') || '';
    const text = await response.text();
    if (type.includes('json')) {
      try {
        const problem = JSON.parse(text);
        const items = Array.isArray(problem.diagnostics) ? problem.diagnostics : [];
        return {
          summary: problem.detail || problem.title || '',
          items: items.map((d) => ({
            line: d.line,
            column: d.column,
            path: d.path,
            code: d.code,
            message: d.message || '',
            help: d.help,
          })),
        };
      } catch (_) {
        // Not JSON after all: shown as text below.
      }
    }
    const lines = text.split('\n').map((l) => l.trim()).filter((l) => l);
    const re = /^(.*?):(\d+)(?::(\d+))?: ([a-z0-9-]+): (.*?)(?: \(at (\/\S*)\))?$/;
    return {
      summary: '',
      items: lines.map((l) => {
        const m = re.exec(l);
        if (!m) return { message: l };
        return { line: Number(m[2]), column: m[3] ? Number(m[3]) : undefined, code: m[4], message: m[5], path: m[6] };
      }),
    };
  }

  function where(item) {
    const has = (n) => n !== undefined && n !== null;
    if (!has(item.line)) return '';
    if (lang === 'zh') return `第 ${item.line} 行${has(item.column) ? `第 ${item.column} 列` : ''}`;
    return `line ${item.line}${has(item.column) ? `, column ${item.column}` : ''}`;
  }

  async function showProblems(response) {
    const texts = t();
    let head;
    if (response.status === 413) head = texts.tooLarge;
    else if (response.status === 401) head = texts.unauthorized;
    else if (response.status === 503 || response.status === 504 || response.status === 429) {
      head = texts.busy;
      const retry = response.headers.get('Retry-After');
      if (retry && /^\d+$/.test(retry)) head += ` ${texts.retryAfter(retry)}`;
    } else head = texts.failed;
    if (response.status === 401) $('auth').open = true;
    const found = await problemsOf(response);
    renderProblems(`${head} (${texts.status(response.status)})`, found.summary, found.items);
  }

  function renderProblems(head, summary, items) {
    result.hidden = true;
    problems.hidden = false;
    $('problems-summary').textContent = summary && summary !== head ? `${head} ${summary}` : head;
    const list = $('problems-list');
    list.replaceChildren();
    for (const item of items) {
      const li = document.createElement('li');
      const place = where(item);
      if (place) {
        const span = document.createElement('span');
        span.className = 'place';
        span.textContent = place;
        li.append(span, ' ');
      }
      if (item.path) {
        const code = document.createElement('code');
        code.className = 'path';
        code.textContent = item.path;
        li.append(code, ' ');
      }
      const message = document.createElement('span');
      message.className = 'message';
      message.textContent = item.message;
      li.append(message);
      if (item.code) {
        const code = document.createElement('code');
        code.className = 'code';
        code.textContent = item.code;
        li.append(' ', code);
      }
      if (item.help) {
        const help = document.createElement('span');
        help.className = 'help';
        help.textContent = item.help;
        li.append(' ', help);
      }
      list.append(li);
    }
    setState('error');
    say(head);
  }

  function showVerdict(verdict, announce) {
    const word = t().verdicts[verdict] || verdict || '?';
    const p = $('verdict');
    p.className = `verdict ${verdict in TEXTS.en.verdicts ? verdict : 'unknown'}`;
    p.dataset.verdict = verdict;
    $('verdict-word').textContent = word;
    if (announce) say(t().verdictIs(word));
  }

  // The report as the frame shows it: the report's policy and inline
  // styles give way to the same styles linked from this server (a srcdoc
  // frame inherits this page's policy, which allows no inline style); the
  // frame is sandboxed without scripts either way.
  function framed(doc) {
    const stylesheet = document.querySelector('meta[name="recert-report-style"]').content;
    for (const el of doc.querySelectorAll('style, meta[http-equiv], script, base')) el.remove();
    const policy = doc.createElement('meta');
    policy.httpEquiv = 'Content-Security-Policy';
    policy.content = `default-src 'none'; style-src ${location.origin}/assets/; img-src data:; base-uri 'none'; form-action 'none'`;
    const link = doc.createElement('link');
    link.rel = 'stylesheet';
    link.href = new URL(stylesheet, location.href).href;
    doc.head.prepend(policy, link);
    return `<!DOCTYPE html>\n${doc.documentElement.outerHTML}`;
  }

  async function check() {
    const body = textarea.value;
    if (!body.trim()) {
      say(t().empty);
      textarea.focus();
      return;
    }
    const request = { body, lang, at: atInput.value || today() };
    setState('busy');
    say(t().checking);
    let response;
    try {
      response = await post(request, 'html', false);
    } catch (_) {
      renderProblems(t().unreachable, '', []);
      return;
    }
    if (!response.ok) {
      await showProblems(response);
      return;
    }
    const html = await response.text();
    // Without its style element: this page's policy would refuse it (and
    // say so) as the parser meets it; the frame links the same styles.
    const doc = new DOMParser().parseFromString(html.replace(/<style\b[^>]*>[\s\S]*?<\/style>/gi, ''), 'text/html');
    const banner = doc.querySelector('.verdict');
    const fromBanner = banner
      ? ['pass', 'fail', 'incomplete', 'not-covered'].find((v) => banner.classList.contains(v))
      : undefined;
    const verdict = (response.headers.get('Recert-Verdict') || fromBanner || '').trim();
    shown = { request, html, verdict };
    problems.hidden = true;
    result.hidden = false;
    signedButton.hidden = !signs;
    showVerdict(verdict, true);
    frame.addEventListener('load', () => setState('done'), { once: true });
    frame.srcdoc = framed(doc);
  }

  function fileName(ext) {
    let id = '';
    const m = /^id:\s*["']?([A-Za-z0-9._-]+)/m.exec(shown.request.body) ||
      /"id"\s*:\s*"([A-Za-z0-9._-]+)"/.exec(shown.request.body);
    if (m) id = `-${m[1]}`;
    return `recert-report${id}-${shown.request.at}-${shown.request.lang}.${ext}`;
  }

  function save(blob, name) {
    const url = URL.createObjectURL(blob);
    const a = document.createElement('a');
    a.href = url;
    a.download = name;
    a.hidden = true;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
    say(t().downloaded(name));
  }

  async function download(kind) {
    if (!shown) return;
    if (kind === 'html') {
      save(new Blob([shown.html], { type: 'text/html' }), fileName('html'));
      return;
    }
    const sign = kind === 'signed';
    say(t().downloading);
    let response;
    try {
      response = await post(shown.request, 'json', sign);
    } catch (_) {
      say(t().unreachable);
      return;
    }
    if (!response.ok) {
      if (sign && response.status === 400) {
        // The server was started without a signing key.
        const found = await problemsOf(response);
        signs = false;
        signedButton.hidden = true;
        const detail = found.summary || (found.items[0] && found.items[0].message) || '';
        say(`${t().notSigning} ${detail}`.trim());
        checkButton.focus();
        return;
      }
      await showProblems(response);
      return;
    }
    const text = await response.text();
    save(new Blob([text], { type: 'application/json' }), fileName(sign ? 'signed.json' : 'json'));
  }

  function readFile() {
    const file = fileInput.files && fileInput.files[0];
    if (!file) return;
    const reader = new FileReader();
    reader.addEventListener('load', () => {
      textarea.value = String(reader.result);
      say(t().readFile(file.name));
      document.body.dataset.file = file.name;
    });
    reader.addEventListener('error', () => say(t().readFailed(file.name)));
    reader.readAsText(file, 'utf-8');
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    check();
  });
  textarea.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
  fileInput.addEventListener('change', readFile);
  langSelect.addEventListener('change', () => {
    lang = langSelect.value === 'zh' ? 'zh' : 'en';
    applyLang();
  });
  $('download-html').addEventListener('click', () => download('html'));
  $('download-json').addEventListener('click', () => download('json'));
  signedButton.addEventListener('click', () => download('signed'));

  atInput.value = today();
  applyLang();
  setState('ready');
})();
