// The development explorer's page (served by gateway/explorer.ts): GraphiQL with a switcher above it
// that mints a development token for a role, agency and staff code and declares a purpose and
// justification, and a panel beside it that shows each withheld field with its reason and agreement,
// and the request id the request's audit record is filed under. Plain browser JavaScript on the UMD
// builds of React 18 and GraphiQL 3, so the gateway serves it as it is, with no build step.
/* global React, ReactDOM, GraphiQL */
(function () {
  'use strict';
  const h = React.createElement;
  const { useState, useEffect, useCallback } = React;
  const config = JSON.parse(document.getElementById('explorer-config').textContent);
  const roleNames = Object.keys(config.roles);
  const agencies = [...new Set(roleNames.map((r) => config.roles[r].agency))];
  const rolesOf = (agency) => roleNames.filter((r) => config.roles[r].agency === agency);

  // What the fetcher sends with every request. Kept in memory only: a token in localStorage would outlive the tab.
  const current = { token: null, purpose: '', justification: '' };
  // Set by the app: receives what each request returned, for the disclosure panel.
  let report = () => {};

  async function fetcher(params, opts) {
    const headers = { 'content-type': 'application/json' };
    if (current.token) headers.authorization = 'Bearer ' + current.token;
    if (current.purpose) headers['x-purpose'] = current.purpose;
    if (current.justification) headers['x-justification'] = current.justification;
    const res = await fetch(config.graphqlPath, { method: 'POST', headers, body: JSON.stringify(params) });
    let body;
    try {
      body = await res.json();
    } catch {
      body = { errors: [{ message: 'The gateway answered HTTP ' + res.status + ' without a GraphQL body' }] };
    }
    // The schema's own introspection is not a request a user made: it does not replace the panel.
    if (params.operationName !== 'IntrospectionQuery') report({ status: res.status, requestId: res.headers.get('x-request-id'), body, at: new Date() });
    return body;
  }

  function Field(props) {
    return h('label', { className: 'jg-field' }, h('span', null, props.label), props.children);
  }

  function Switcher(props) {
    const { identity, setIdentity, signedIn, onSignIn, busy, error } = props;
    const set = (k) => (e) => setIdentity((prev) => {
      const next = { ...prev, [k]: e.target.value };
      if (k === 'agency') next.role = rolesOf(next.agency)[0];
      if (k === 'agency' || k === 'role') {
        const purposes = config.roles[next.role].purposes;
        if (!purposes.includes(next.purpose)) next.purpose = purposes[0];
      }
      return next;
    });
    const role = config.roles[identity.role];
    const stale = !signedIn || signedIn.role !== identity.role || signedIn.agency !== identity.agency || (signedIn.staffCode || '') !== identity.staffCode;
    return h('form', {
      className: 'jg-switcher', 'aria-label': 'Caller',
      onSubmit: (e) => { e.preventDefault(); onSignIn(); },
    },
    h('strong', { className: 'jg-title' }, 'justice-graph explorer'),
    h(Field, { label: 'Agency' }, h('select', { name: 'agency', value: identity.agency, onChange: set('agency') }, agencies.map((a) => h('option', { key: a, value: a }, a)))),
    h(Field, { label: 'Role' }, h('select', { name: 'role', value: identity.role, onChange: set('role'), title: role.description }, rolesOf(identity.agency).map((r) => h('option', { key: r, value: r }, r)))),
    h(Field, { label: 'Staff code' }, h('input', { name: 'staffCode', value: identity.staffCode, onChange: set('staffCode'), placeholder: 'e.g. N07A001', size: 10 })),
    h('button', { type: 'submit', name: 'signIn', disabled: busy, className: stale ? 'jg-primary' : '' }, busy ? 'Minting…' : 'Use this identity'),
    h(Field, { label: 'Purpose' }, h('select', { name: 'purpose', value: identity.purpose, onChange: set('purpose'), title: config.purposes[identity.purpose] }, role.purposes.map((p) => h('option', { key: p, value: p }, p)))),
    h(Field, { label: 'Justification' }, h('input', { name: 'justification', value: identity.justification, onChange: set('justification'), placeholder: 'e.g. burglary enquiry 01/2345', size: 28, maxLength: 500 })),
    h('output', { className: 'jg-identity', 'aria-live': 'polite', 'data-testid': 'identity' },
      error ? h('span', { className: 'jg-error' }, error)
        : signedIn ? 'Token: ' + signedIn.subject + ' (' + signedIn.roles.join(', ') + ', ' + signedIn.agency + (signedIn.staffCode ? ', staff code ' + signedIn.staffCode : '') + '), valid ' + signedIn.expiresIn + (stale ? ' (not yet the identity above: press "Use this identity")' : '')
          : 'No token yet'));
  }

  function Withheld(props) {
    const e = props.error;
    const x = e.extensions || {};
    const agreement = x.agreement ? config.agreements[x.agreement] : null;
    return h('li', { className: 'jg-withheld', 'data-field': x.field || '' },
      h('div', null, h('code', null, x.path || (e.path || []).join('.')), x.count > 1 ? ' ×' + x.count : ''),
      h('div', null, 'Field ', h('code', null, x.field || '?')),
      h('div', { className: 'jg-reason' }, 'Reason: ', h('strong', null, x.reason || 'unknown'), x.reason && config.reasons[x.reason] ? ': ' + config.reasons[x.reason] : ''),
      h('div', { className: 'jg-agreement' }, 'Agreement: ', x.agreement
        ? h('span', null, h('strong', null, x.agreement), agreement ? ' (' + agreement.name + ', ' + agreement.starts + ' to ' + agreement.ends + ')' : '')
        : 'none (no information-sharing agreement is involved)'));
  }

  function Disclosure(props) {
    const last = props.last;
    if (!last) return h('aside', { className: 'jg-panel', 'aria-label': 'Disclosure' }, h('h2', null, 'Disclosure'), h('p', null, 'Run a query: withheld fields, their reasons and agreements, and the audit record of the request appear here.'));
    const errors = (last.body && last.body.errors) || [];
    const withheld = errors.filter((e) => e.extensions && e.extensions.code === 'FORBIDDEN' && e.extensions.reason);
    const others = errors.filter((e) => !withheld.includes(e));
    return h('aside', { className: 'jg-panel', 'aria-label': 'Disclosure' },
      h('h2', null, 'Disclosure'),
      h('dl', null,
        h('dt', null, 'HTTP status'), h('dd', { 'data-testid': 'status' }, String(last.status)),
        h('dt', null, 'Audit record (request id)'), h('dd', null, h('code', { 'data-testid': 'request-id' }, last.requestId || 'none: the request was refused before it ran'))),
      h('h3', null, 'Withheld (' + withheld.length + ')'),
      withheld.length ? h('ul', { 'data-testid': 'withheld' }, withheld.map((e, i) => h(Withheld, { key: i, error: e }))) : h('p', null, 'Nothing was withheld.'),
      others.length ? h('h3', null, 'Other errors (' + others.length + ')') : null,
      others.length ? h('ul', { 'data-testid': 'errors' }, others.map((e, i) => h('li', { key: i },
        h('strong', null, (e.extensions && e.extensions.code) || 'ERROR'), e.extensions && e.extensions.agency ? ' (' + e.extensions.agency + ')' : '', ': ' + e.message))) : null);
  }

  function App() {
    const first = roleNames[0];
    const [identity, setIdentity] = useState({ agency: config.roles[first].agency, role: first, staffCode: '', purpose: config.roles[first].purposes[0], justification: '' });
    const [signedIn, setSignedIn] = useState(null);
    const [busy, setBusy] = useState(false);
    const [error, setError] = useState(null);
    const [last, setLast] = useState(null);
    useEffect(() => { report = setLast; }, []);
    // Purpose and justification go with the next request as they are; only a new role or agency needs a new token.
    current.purpose = identity.purpose;
    current.justification = identity.justification.trim();

    const signIn = useCallback(async () => {
      setBusy(true);
      setError(null);
      try {
        const res = await fetch(config.tokenPath, {
          method: 'POST', headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ agency: identity.agency, role: identity.role, staffCode: identity.staffCode.trim() || undefined }),
        });
        const body = await res.json();
        if (!res.ok) throw new Error((body.errors && body.errors[0] && body.errors[0].message) || 'HTTP ' + res.status);
        current.token = body.token;
        setSignedIn({ ...body, role: identity.role });
      } catch (e) {
        setError('No token: ' + e.message);
      } finally {
        setBusy(false);
      }
    }, [identity]);
    // A first token at once, so GraphiQL can load the schema docs.
    useEffect(() => { signIn(); }, []); // eslint-disable-line react-hooks/exhaustive-deps

    return h('div', { className: 'jg-app' },
      h(Switcher, { identity, setIdentity, signedIn, onSignIn: signIn, busy, error }),
      h('div', { className: 'jg-main' },
        h('div', { className: 'jg-graphiql' }, signedIn
          ? h(GraphiQL, {
            fetcher,
            defaultQuery: config.query,
            query: config.query,
            variables: config.variables,
            isHeadersEditorEnabled: false,
            shouldPersistHeaders: false,
            defaultEditorToolsVisibility: 'variables',
          })
          : h('p', { className: 'loading' }, error || 'Minting a development token…')),
        h(Disclosure, { last })));
  }

  ReactDOM.createRoot(document.getElementById('explorer')).render(h(App));
})();
