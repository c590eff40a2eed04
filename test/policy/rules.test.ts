// One test per rule of the disclosure policy, asserted through the real engine (decide()). The first
// half is generated from the field tables: every grant line, for every role it names, becomes a sentence
// that must hold (shown for each purpose it allows, withheld when a record condition fails, withheld for
// the role's other purposes); every agreement's dates are checked at their edges. The second half is the
// policy's scenarios in words a reviewer would use. A new grant line adds its own tests, so a table
// change that the engine would not honour fails here by name.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AdapterError } from '../../adapters/errors.js';
import { AGREEMENTS, CONDITIONS, entryFor, loadPolicy, ROLES, type Condition, type Grant, type Role } from '../../schema/policy/index.js';
import type { Agreement } from '../../schema/policy/agreements.js';
import { currentMatrix } from '../../schema/policy/matrix.js';
import { CONDITION_FAILURE, REASONS, type Reason } from '../../schema/policy/vocabulary.js';
import { conditionKey, conditionsRead, decide, setPolicyClock, type RecordFacts } from '../../subgraphs/policy.js';
import { NO_RELATIONSHIPS, type Relationships } from '../../subgraphs/types.js';
import { caller } from '../helpers/subgraph.js';

const POLICY = loadPolicy();
const ROLE_NAMES = Object.keys(ROLES) as Role[];
const agreement = (id: string) => (AGREEMENTS as Record<string, Agreement>)[id]!;

// One world in which every record condition holds: the person is on the caller's caseload and is the
// defendant in their victim's case, the victim is theirs, the record is an adult one and not restricted.
const CRN = 'X123456';
const DEFENDANT = '2601ZD0100000001001A'; // the ASN courts key a defendant's case by
const URN = '01ZD0303208';
const VICTIM = 'V-0001';
// Like the gateway (gateway/relationships.ts), only an offender manager has a caseload and only a victim
// liaison officer has victims: the engine trusts that, e.g. NOT_RESTRICTED excepts anyone "on caseload".
const MINE: Partial<Record<Role, Partial<Relationships>>> = {
  PROBATION_OFFICER: { caseloadCrns: [CRN] },
  VICTIM_LIAISON_OFFICER: { victimIds: [VICTIM], victimCaseUrns: [URN], victimDefendantIds: [DEFENDANT] },
};
const RECORD: RecordFacts = { personKey: `P1:courts=${DEFENDANT},probation=${CRN}`, crn: CRN, caseUrn: URN, victimId: VICTIM, youth: false, restricted: false };

/** How to make one condition fail while the others keep holding. A new condition needs a line here. */
const BREAK: Record<Condition, { relationships?: Partial<Relationships>; facts?: Partial<RecordFacts>; alsoBreaks?: Condition[] }> = {
  ON_CASELOAD: { relationships: { caseloadCrns: [] } },
  OWN_VICTIM_CASE: { relationships: { victimCaseUrns: [], victimDefendantIds: [] } },
  OWN_VICTIM: { relationships: { victimIds: [] } },
  ADULT_AT_OFFENCE: { facts: { youth: true } },
  // A restricted record is still shown to its own offender manager, so it is withheld only off the caseload.
  NOT_RESTRICTED: { facts: { restricted: true }, relationships: { caseloadCrns: [] }, alsoBreaks: ['ON_CASELOAD'] },
  // The records are another agency's (the world has them be the caller's own agency's).
  OWN_AGENCY_RECORDS: { facts: { recordsAgency: 'ANOTHER_AGENCY' } },
};

// ---- helpers ---------------------------------------------------------------------------------------
const DAY = '2025-06-15'; // inside every agreement: rules not about dates must not depend on today
let restoreClock: () => void;
const at = (day: string) => setPolicyClock(() => new Date(`${day}T12:00:00Z`));
const addDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
const midpoint = (a: Agreement) => new Date((Date.parse(a.starts) + Date.parse(a.ends)) / 2).toISOString().slice(0, 10);
beforeEach(() => { restoreClock = at(DAY); });
afterEach(() => restoreClock());

function grantsOf(subgraph: string, coordinate: string): Grant[] {
  const [type, field] = coordinate.split('.') as [string, string];
  const entry = entryFor(POLICY.get(subgraph)!, type, field);
  if (entry?.kind !== 'GRANTS') throw new Error(`${subgraph} ${coordinate} has no grants of its own`);
  return entry.grants;
}

interface Ask { purpose?: string; agency?: string; relationships?: Partial<Relationships>; facts?: Partial<RecordFacts> }
/** decide() for one field of one subgraph, as a caller holding `role`, in the all-conditions-hold world unless told otherwise. */
function ask(subgraph: string, coordinate: string, role: Role, o: Ask = {}) {
  const who = caller(o.agency ?? ROLES[role].agency, [role], o.purpose ?? ROLES[role].purposes[0], { staffCode: 'S0001', relationships: { ...NO_RELATIONSHIPS, ...MINE[role], ...o.relationships } });
  return decide(grantsOf(subgraph, coordinate), who, () => ({ ...RECORD, recordsAgency: who.agency, ...o.facts }));
}
/** A withheld decision names the agreement of the grant that failed, or null where no grant's agreement was involved. */
const anyAgreement = { asymmetricMatch: (v: unknown) => v === null || (typeof v === 'string' && v in AGREEMENTS), toAsymmetricMatcher: () => 'null or an agreement id' };
const denied = (reason: Reason, agreement?: string | null) => ({ allowed: false, reason, agreement: agreement === undefined ? anyAgreement : agreement });

/** The purposes a grant really allows `role`: the role's own, narrowed by the grant's list and by the agreement's. */
function purposesFor(g: Grant, role: Role): string[] {
  const declared = ROLES[role].purposes as readonly string[];
  return declared.filter((p) => (g.purposes === '*' || g.purposes.includes(p as never)) && (!g.agreement || (agreement(g.agreement).purposes as readonly string[]).includes(p)));
}

interface Rule { subgraph: string; coordinate: string; grant: Grant; role: Role; purposes: string[]; alone: boolean; first: boolean }
/** Every (grant line, role) of every table. `alone`: no other line of the field names the role, so a denial sentence is the whole truth. */
const RULES: Rule[] = [...POLICY.values()].flatMap((p) => [...p.entries].flatMap(([coordinate, entry]) => entry.kind !== 'GRANTS' ? [] :
  entry.grants.flatMap((grant, i) => grant.roles.map((role) => ({
    subgraph: p.subgraph, coordinate, grant, role, purposes: purposesFor(grant, role),
    alone: entry.grants.filter((g) => g.roles.includes(role)).length === 1,
    first: !entry.grants.slice(0, i).some((g) => g.roles.includes(role)),
  })))));

const under = (g: Grant) => (g.agreement ? `under ${g.agreement}` : 'as its own staff');
const provided = (g: Grant) => (g.conditions.length ? ` if ${g.conditions.map((c) => CONDITIONS[c]).join(' and ')}` : '');

// ---- generated: one sentence per rule ----------------------------------------------------------------
for (const subgraph of POLICY.keys()) {
  describe(`${subgraph} rules`, () => {
    for (const r of RULES.filter((x) => x.subgraph === subgraph)) {
      const { coordinate, grant: g, role } = r;
      const day = g.agreement ? midpoint(agreement(g.agreement)) : DAY;

      it(`shows ${coordinate} to ${role} for ${r.purposes.join(', ') || '(no purpose)'} ${under(g)}${provided(g)}`, () => {
        expect(r.purposes, `the line "${g.text}" allows ${role} no purpose it may declare`).not.toEqual([]);
        at(day);
        for (const purpose of r.purposes) {
          const d = ask(subgraph, coordinate, role, { purpose });
          expect(d, purpose).toMatchObject({ allowed: true, agreement: g.agreement });
          if (r.first) expect(d, purpose).toMatchObject({ grant: g.text });
        }
      });

      if (!r.alone) continue;
      for (const c of g.conditions) {
        const b = BREAK[c];
        if (b.alsoBreaks?.some((other) => g.conditions.includes(other))) continue; // implied by another condition of the line
        it(`withholds ${coordinate} from ${role} when ${REASONS[CONDITION_FAILURE[c]]}`, () => {
          at(day);
          for (const purpose of r.purposes) expect(ask(subgraph, coordinate, role, { purpose, relationships: b.relationships, facts: b.facts }), purpose).toEqual(denied(CONDITION_FAILURE[c]));
        });
      }
      const otherPurposes = ROLES[role].purposes.filter((p) => !r.purposes.includes(p));
      for (const purpose of otherPurposes) {
        // A purpose the line names but its agreement does not cover is an agreement gap, not a purpose refusal.
        const reason: Reason = g.purposes === '*' || g.purposes.includes(purpose as never) ? 'NO_AGREEMENT' : 'PURPOSE_NOT_PERMITTED';
        it(`withholds ${coordinate} from ${role} for ${purpose} (${reason})`, () => {
          at(day);
          expect(ask(subgraph, coordinate, role, { purpose })).toEqual(denied(reason));
        });
      }
    }
  });
}

// ---- what a request remembers a decision by ------------------------------------------------------------
describe('decisions remembered within a request', () => {
  // A request decides a field once per caller and per outcome of the record conditions the caller's
  // grants can reach (conditionsRead): records that differ only in other conditions must get the same decision.
  const conditional = [...POLICY.values()].flatMap((p) => [...p.entries].flatMap(([coordinate, entry]) =>
    entry.kind === 'GRANTS' && entry.grants.some((g) => g.conditions.length) ? [{ subgraph: p.subgraph, coordinate, grants: entry.grants }] : []));
  it('has conditional fields to check', () => expect(conditional.length).toBeGreaterThan(5));
  it('are the same for every record that meets the same of the conditions the caller\'s grants can read', () => {
    let compared = 0;
    for (const { coordinate, grants } of conditional) {
      const conditions = [...new Set(grants.flatMap((g) => g.conditions))];
      for (const role of ROLE_NAMES) {
        for (const purpose of ROLES[role].purposes) {
          const worlds = [{}, ...conditions.map((c) => BREAK[c])].map((b: { relationships?: Partial<Relationships>; facts?: Partial<RecordFacts> }) => {
            const who = caller(ROLES[role].agency, [role], purpose, { staffCode: 'S0001', relationships: { ...NO_RELATIONSHIPS, ...MINE[role], ...b.relationships } });
            const facts = { ...RECORD, recordsAgency: who.agency, ...b.facts };
            const reads = conditionsRead(grants, who, conditions);
            return { key: conditionKey(reads, who, facts), decision: decide(grants, who, () => facts) };
          });
          for (const w of worlds.slice(1)) {
            if (w.key !== worlds[0].key) continue;
            expect(w.decision, `${coordinate} ${role} ${purpose}`).toEqual(worlds[0].decision);
            compared++;
          }
        }
      }
    }
    expect(compared).toBeGreaterThan(0);
  });
  it('read nothing of the record for a caller whose grant needs no condition', () => {
    const grants = grantsOf('prisons', 'Person.custodyPeriods');
    const officer = caller('PRISONS', ['PRISON_OFFICER'], 'CUSTODY_MANAGEMENT');
    const liaison = caller('VICTIMS', ['VICTIM_LIAISON_OFFICER'], 'VICTIM_CONTACT');
    expect(conditionsRead(grants, officer, ['OWN_VICTIM_CASE'])).toEqual([]);
    expect(conditionsRead(grants, liaison, ['OWN_VICTIM_CASE'])).toEqual(['OWN_VICTIM_CASE']);
  });
});

describe('agreement dates', () => {
  for (const [id, a] of Object.entries(AGREEMENTS as Record<string, Agreement>)) {
    const r = RULES.find((x) => x.grant.agreement === id && x.alone && x.purposes.length);
    it(`${id} is used by at least one grant`, () => expect(r, `${id} is never used`).toBeDefined());
    if (!r) continue;
    const [shows, withholds] = [`${r.coordinate} to ${r.role}`, `${r.coordinate} from ${r.role}`];
    const purpose = r.purposes[0];
    it(`${id} shows ${shows} from its first day, ${a.starts}, to its last, ${a.ends}`, () => {
      for (const day of [a.starts, a.ends]) {
        at(day);
        expect(ask(r.subgraph, r.coordinate, r.role, { purpose }), day).toMatchObject({ allowed: true, agreement: id });
      }
    });
    it(`${id} withholds ${withholds} after it ends (AGREEMENT_EXPIRED)`, () => {
      at(addDays(a.ends, 1));
      expect(ask(r.subgraph, r.coordinate, r.role, { purpose })).toEqual(denied('AGREEMENT_EXPIRED', id));
    });
    it(`${id} withholds ${withholds} before it starts (AGREEMENT_NOT_STARTED)`, () => {
      at(addDays(a.starts, -1));
      expect(ask(r.subgraph, r.coordinate, r.role, { purpose })).toEqual(denied('AGREEMENT_NOT_STARTED', id));
    });
  }

  it('every record condition has a way to fail in these tests', () => {
    expect(Object.keys(BREAK).sort()).toEqual(Object.keys(CONDITIONS).sort());
  });
});

// ---- hand-written: the policy's scenarios --------------------------------------------------------------
describe('a probation officer and police information', () => {
  it('may see police warning markers for a person on their caseload', () => {
    expect(ask('police', 'Person.warningMarkers', 'PROBATION_OFFICER')).toMatchObject({ allowed: true, agreement: 'ISA-POLICE-HMPPS' });
    expect(ask('police', 'Person.warningMarkers', 'PROBATION_OFFICER', { relationships: { caseloadCrns: ['X999999'] } })).toEqual(denied('NOT_ON_CASELOAD', 'ISA-POLICE-HMPPS'));
  });

  it('never sees intelligence flags, not even for their own caseload (NOT_PERMITTED)', () => {
    for (const purpose of ROLES.PROBATION_OFFICER.purposes) expect(ask('police', 'Person.intelligenceFlags', 'PROBATION_OFFICER', { purpose })).toEqual(denied('NOT_PERMITTED', null));
  });

  it('gets nothing from a token that claims the role for another agency', () => {
    expect(ask('police', 'Person.arrests', 'PROBATION_OFFICER', { agency: 'POLICE' })).toEqual(denied('NOT_PERMITTED', null));
  });
});

describe('a victim liaison officer', () => {
  it('may see the release dates of their own victims\' offender (CustodyPeriod.expectedReleaseDate comes with Person.custodyPeriods)', () => {
    expect(POLICY.get('prisons')!.entries.get('CustodyPeriod.*')).toEqual({ kind: 'INHERIT' });
    expect(entryFor(POLICY.get('prisons')!, 'CustodyPeriod', 'expectedReleaseDate')).toEqual({ kind: 'INHERIT' });
    expect(ask('prisons', 'Person.custodyPeriods', 'VICTIM_LIAISON_OFFICER')).toMatchObject({ allowed: true, agreement: 'ISA-VCS' });
    expect(ask('prisons', 'Person.nextReleaseDate', 'VICTIM_LIAISON_OFFICER')).toMatchObject({ allowed: true, agreement: 'ISA-VCS' });
  });

  it('may see the licence conditions of their own victims\' offender (Supervision.licenceConditions, LicenceCondition inherits)', () => {
    expect(ask('probation', 'Person.supervision', 'VICTIM_LIAISON_OFFICER')).toMatchObject({ allowed: true, agreement: 'ISA-VCS' });
    expect(ask('probation', 'Supervision.licenceConditions', 'VICTIM_LIAISON_OFFICER')).toMatchObject({ allowed: true, agreement: 'ISA-VCS' });
    expect(entryFor(POLICY.get('probation')!, 'LicenceCondition', 'detail')).toEqual({ kind: 'INHERIT' });
  });

  it('does not see the custody or supervision of an offender in someone else\'s victim\'s case', () => {
    const notMine = { relationships: { victimCaseUrns: [], victimDefendantIds: [] } };
    expect(ask('prisons', 'Person.custodyPeriods', 'VICTIM_LIAISON_OFFICER', notMine)).toEqual(denied('NOT_OWN_VICTIM_CASE'));
    expect(ask('probation', 'Person.supervision', 'VICTIM_LIAISON_OFFICER', notMine)).toEqual(denied('NOT_OWN_VICTIM_CASE'));
  });

  it('never sees CustodyPeriod.cellLocation, Person.prisonAlerts or Supervision.officerNotes, even for their own victims', () => {
    expect(ask('prisons', 'CustodyPeriod.cellLocation', 'VICTIM_LIAISON_OFFICER')).toEqual(denied('NOT_PERMITTED', null));
    expect(ask('prisons', 'Person.prisonAlerts', 'VICTIM_LIAISON_OFFICER')).toEqual(denied('NOT_PERMITTED', null));
    expect(ask('probation', 'Supervision.officerNotes', 'VICTIM_LIAISON_OFFICER')).toEqual(denied('NOT_PERMITTED', null));
  });
});

describe('a victim\'s address and contact preferences', () => {
  for (const coordinate of ['Victim.address', 'Victim.contactPreferences']) {
    it(`${coordinate}: nobody but a victim liaison officer, for their own victim, ever sees it`, () => {
      for (const role of ROLE_NAMES) {
        for (const purpose of ROLES[role].purposes) {
          const d = ask('victims', coordinate, role, { purpose });
          if (role === 'VICTIM_LIAISON_OFFICER') expect(d).toMatchObject({ allowed: true, agreement: null });
          else expect(d, `${role} ${purpose}`).toEqual(denied('NOT_PERMITTED', null));
        }
      }
      expect(ask('victims', coordinate, 'VICTIM_LIAISON_OFFICER', { relationships: { victimIds: ['V-0002'] } })).toEqual(denied('NOT_OWN_VICTIM'));
    });
  }

  it('the parts of contact preferences come only with Victim.contactPreferences', () => {
    expect(POLICY.get('victims')!.entries.get('ContactPreferences.*')).toEqual({ kind: 'INHERIT' });
  });
});

describe('a court listing officer', () => {
  it('sees Case.remandedInCustody and Case.custodyTimeLimitExpiry', () => {
    expect(ask('courts', 'Case.remandedInCustody', 'COURT_LISTING_OFFICER')).toMatchObject({ allowed: true, agreement: null });
    expect(ask('courts', 'Case.custodyTimeLimitExpiry', 'COURT_LISTING_OFFICER')).toMatchObject({ allowed: true, agreement: null });
  });

  it('does not see Case.charges nor Person.arrests', () => {
    expect(ask('courts', 'Case.charges', 'COURT_LISTING_OFFICER')).toEqual(denied('NOT_PERMITTED', null));
    expect(ask('police', 'Person.arrests', 'COURT_LISTING_OFFICER')).toEqual(denied('NOT_PERMITTED', null));
  });
});

describe('roles that never see a named person', () => {
  for (const role of ['PERFORMANCE_ANALYST', 'AUDITOR'] as const) {
    it(`a ${role} sees no Person field of any subgraph (NOT_PERMITTED)`, async () => {
      const rows = (await currentMatrix()).subgraphs.flatMap((s) => s.rows.filter((r) => r.coordinate.startsWith('Person.')).map((r) => ({ s: s.subgraph, r })));
      expect(rows.length).toBeGreaterThan(20);
      for (const { s, r } of rows) expect(ask(s, r.coordinate, role), `${s} ${r.coordinate}`).toEqual(denied('NOT_PERMITTED', null));
    });
  }
});

describe('purposes', () => {
  it('a purpose the role may not declare gives PURPOSE_NOT_PERMITTED', () => {
    expect(ask('police', 'Person.arrests', 'PROBATION_OFFICER', { purpose: 'INVESTIGATION' })).toEqual(denied('PURPOSE_NOT_PERMITTED'));
    expect(ask('courts', 'Case.charges', 'CPS_PROSECUTOR', { purpose: 'COURT_LISTING' })).toEqual(denied('PURPOSE_NOT_PERMITTED'));
    expect(ask('prisons', 'Person.prisonAlerts', 'PRISON_OFFICER', { purpose: 'INVESTIGATION' })).toEqual(denied('PURPOSE_NOT_PERMITTED'));
  });
});

describe('youth records', () => {
  it('a youth case, or one whose defendant\'s age is unknown, is withheld from a probation officer (YOUTH_RECORD)', () => {
    for (const youth of [true, null, undefined]) expect(ask('courts', 'Case.charges', 'PROBATION_OFFICER', { facts: { youth } }), String(youth)).toEqual(denied('YOUTH_RECORD'));
    expect(ask('courts', 'Case.charges', 'PROBATION_OFFICER', { facts: { youth: false } })).toMatchObject({ allowed: true });
  });

  it('the police and the CPS still see a youth case', () => {
    expect(ask('courts', 'Case.charges', 'POLICE_OFFICER', { facts: { youth: true } })).toMatchObject({ allowed: true });
    expect(ask('courts', 'Case.charges', 'CPS_PROSECUTOR', { facts: { youth: true } })).toMatchObject({ allowed: true });
  });
});

describe('restricted probation records', () => {
  const restricted = { facts: { restricted: true } };
  it('are withheld from the police (RESTRICTED_RECORD), as is a record whose restriction is unknown', () => {
    expect(ask('probation', 'Supervision.registrations', 'POLICE_OFFICER', restricted)).toEqual(denied('RESTRICTED_RECORD'));
    expect(ask('probation', 'Supervision.registrations', 'POLICE_OFFICER', { facts: { restricted: undefined } })).toEqual(denied('RESTRICTED_RECORD'));
    expect(ask('probation', 'Supervision.registrations', 'POLICE_OFFICER')).toMatchObject({ allowed: true });
  });

  it('are shown to their own offender manager, and withheld from other probation officers', () => {
    expect(ask('probation', 'Supervision.registrations', 'PROBATION_OFFICER', restricted)).toMatchObject({ allowed: true, agreement: null });
    expect(ask('probation', 'Supervision.crn', 'PROBATION_OFFICER', restricted)).toMatchObject({ allowed: true, agreement: null });
    expect(ask('probation', 'Supervision.crn', 'PROBATION_OFFICER', { ...restricted, relationships: { caseloadCrns: [] } })).toEqual(denied('RESTRICTED_RECORD'));
  });

  it('are withheld from a user the record excludes, even their own offender manager (an exclusion is never lifted by the caseload)', () => {
    const excluded = { facts: { restricted: false, excluded: true } };
    expect(ask('probation', 'Supervision.registrations', 'PROBATION_OFFICER', excluded)).toEqual(denied('RESTRICTED_RECORD'));
    expect(ask('probation', 'Supervision.crn', 'PROBATION_OFFICER', excluded)).toEqual(denied('RESTRICTED_RECORD'));
    expect(ask('probation', 'Supervision.crn', 'PROBATION_OFFICER', { facts: { restricted: false, excluded: false } })).toMatchObject({ allowed: true });
  });
});

describe('relationships the gateway could not establish', () => {
  it('make a caseload rule an outage (SOURCE_UNAVAILABLE), not a denial', () => {
    const d = ask('police', 'Person.arrests', 'PROBATION_OFFICER', { relationships: { caseloadCrns: [], unavailable: ['probation'] } });
    expect(d).toBeInstanceOf(AdapterError);
    expect(d).toMatchObject({ code: 'SOURCE_UNAVAILABLE', agency: 'probation' });
  });

  it('make an own-victim rule an outage too', () => {
    const d = ask('prisons', 'Person.custodyPeriods', 'VICTIM_LIAISON_OFFICER', { relationships: { victimCaseUrns: [], victimDefendantIds: [], unavailable: ['victims'] } });
    expect(d).toBeInstanceOf(AdapterError);
    expect(d).toMatchObject({ code: 'SOURCE_UNAVAILABLE', agency: 'victims' });
  });

  it('do not matter to a grant without a record condition', () => {
    expect(ask('police', 'Person.arrests', 'POLICE_OFFICER', { relationships: { unavailable: ['probation', 'victims'] } })).toMatchObject({ allowed: true });
  });
});
