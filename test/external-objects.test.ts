import { Chart, Testing } from 'cdk8s';
import * as cnpg from '../imports/postgresql.cnpg.io';
import { AppValidation, ExternalObjects } from '../src';
import { errorOf } from './util';

function scheduleFor(chart: Chart, cluster: string): void {
  // A ScheduledBackup written with the generated class, for a Cluster that is not in this app.
  new cnpg.ScheduledBackup(chart, 'Nightly', {
    metadata: { name: 'nightly' },
    spec: {
      cluster: { name: cluster },
      schedule: '0 0 3 * * *',
      immediate: true,
      method: cnpg.ScheduledBackupSpecMethod.PLUGIN,
      pluginConfiguration: { name: 'barman-cloud.cloudnative-pg.io' },
    },
  });
}

describe('ExternalObjects', () => {
  test('fails at synth when a reference names an undeclared object outside the app', () => {
    // GIVEN an app that checks every object, with a schedule (written with the generated class) for a cluster it does not have
    const app = Testing.app();
    AppValidation.of(app).validateAll();
    const chart = new Chart(app, 'test', { namespace: 'db' });
    scheduleFor(chart, 'orders');
    // WHEN / THEN the finding carries the object's own path
    expect(errorOf(() => Testing.synth(chart))).toMatch(/\[test\/Nightly\] ScheduledBackup "nightly" spec\.cluster\.name: cluster "orders" not found in namespace "db"/);
  });

  test('a declared external object satisfies the reference, in the chart\'s namespace by default', () => {
    // GIVEN
    const app = Testing.app();
    AppValidation.of(app).validateAll();
    const chart = new Chart(app, 'test', { namespace: 'db' });
    scheduleFor(chart, 'orders');
    // WHEN
    ExternalObjects.declare(chart, { kind: 'Cluster', name: 'orders' });
    // THEN
    expect(() => Testing.synth(chart)).not.toThrow();
  });

  test('a declaration in another namespace does not satisfy it', () => {
    const app = Testing.app();
    AppValidation.of(app).validateAll();
    const chart = new Chart(app, 'test', { namespace: 'db' });
    scheduleFor(chart, 'orders');
    ExternalObjects.declare(chart, { kind: 'Cluster', name: 'orders', namespace: 'other' });
    expect(() => Testing.synth(chart)).toThrow(/cluster "orders" not found in namespace "db"/);
  });
});
