import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ALERT_KINDS, channelsFor } from './alert-channels.js';

describe('channelsFor', () => {
  it('e-mails the owner of an opened or assigned case and managers of an urgent or escalated one by default', () => {
    expect(channelsFor('case.opened', 'frontline')).toEqual({ email: true, dashboard: true });
    expect(channelsFor('case.assigned', 'frontline')).toEqual({ email: true, dashboard: true });
    expect(channelsFor('case.urgent', 'manager')).toEqual({ email: true, dashboard: true });
    expect(channelsFor('case.escalated', 'owner')).toEqual({ email: true, dashboard: true });
    expect(channelsFor('case.overdue', 'manager')).toEqual({ email: false, dashboard: true });
    expect(channelsFor('case.resolved', 'frontline')).toEqual({ email: false, dashboard: true });
  });

  it('follows a person’s own choice per kind', () => {
    const prefs = {
      events: { 'case.overdue': { email: true }, 'case.opened': { email: false, dashboard: false } },
    };
    expect(channelsFor('case.overdue', 'manager', prefs)).toEqual({ email: true, dashboard: true });
    expect(channelsFor('case.opened', 'manager', prefs)).toEqual({ email: false, dashboard: false });
  });

  it('leaves a muted person the bell only, whatever else they chose', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ALERT_KINDS),
        fc.constantFrom('owner', 'admin', 'manager', 'frontline', 'analyst'),
        fc.option(fc.boolean(), { nil: undefined }),
        fc.option(fc.boolean(), { nil: undefined }),
        (kind, role, email, dashboard) => {
          const prefs = { muted: true, events: { [kind]: { email, dashboard } } };
          expect(channelsFor(kind, role, prefs)).toEqual({ email: false, dashboard: true });
        },
      ),
    );
  });

  it('never e-mails an analyst about customers', () => {
    expect(channelsFor('case.urgent', 'analyst', { events: { 'case.urgent': { email: true } } }).email).toBe(
      false,
    );
  });
});
