import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { RuntimeChaosControls, type ChaosLocation } from '../../../src/react/RuntimeChaosControls';
import { axeViolations } from './runtimeFixture';

function fakeLocation(search: string, hash = '#/lessons/fractions'): ChaosLocation & { assigned: string[] } {
  const assigned: string[] = [];
  return { pathname: '/', search, hash, assign: (url) => assigned.push(url), assigned };
}

describe('the runtime chaos form of the developer panel', () => {
  it('says what the running runtime started with, and reloads with the chosen seed and scenario, keeping the route', async () => {
    const location = fakeLocation('?chaos=7:mixed&x=1');
    const user = userEvent.setup();
    render(<RuntimeChaosControls location={location} />);
    expect(screen.getByRole('status')).toHaveTextContent('Runtime chaos is on: seed 7, scenario mixed.');
    expect(screen.getByLabelText('Seed')).toHaveValue('7');
    await user.clear(screen.getByLabelText('Seed'));
    await user.type(screen.getByLabelText('Seed'), '42');
    await user.selectOptions(screen.getByLabelText('Scenario'), 'storage-closed');
    await user.click(screen.getByRole('button', { name: 'Apply and reload' }));
    expect(location.assigned).toEqual(['/?chaos=42:storage-closed&x=1#/lessons/fractions']);
  });

  it('a bad seed is explained and nothing is reloaded; "off" removes the parameter', async () => {
    const location = fakeLocation('?chaos=7:mixed');
    const user = userEvent.setup();
    render(<RuntimeChaosControls location={location} />);
    await user.clear(screen.getByLabelText('Seed'));
    await user.type(screen.getByLabelText('Seed'), '-3');
    await user.click(screen.getByRole('button', { name: 'Apply and reload' }));
    expect(screen.getByRole('alert')).toHaveTextContent('The seed must be a whole number from 0 to 4294967295; "-3" is not. Nothing was changed.');
    expect(location.assigned).toEqual([]);
    await user.selectOptions(screen.getByLabelText('Scenario'), 'off');
    await user.click(screen.getByRole('button', { name: 'Apply and reload' }));
    expect(location.assigned).toEqual(['/#/lessons/fractions']);
  });

  it('an address with a bad value says it was ignored; no chaos says off; no axe violations', async () => {
    const { container, unmount } = render(<RuntimeChaosControls location={fakeLocation('?chaos=1:nope')} />);
    expect(screen.getByRole('status')).toHaveTextContent(/^Runtime chaos is off: the address asks for "1:nope", which was ignored \(chaos scenario "nope" is unknown/);
    expect(await axeViolations(container)).toEqual([]);
    unmount();
    render(<RuntimeChaosControls location={fakeLocation('')} />);
    expect(screen.getByRole('status')).toHaveTextContent('Runtime chaos is off.');
  });
});
