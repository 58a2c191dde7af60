/**
 * Round trips on PostgreSQL 15: see restore-cases.ts. Real PostgreSQL, barman-cloud and s3rver; a missing one fails
 * the tests with what to install (bash .ci/run installs everything).
 */
import { describeRestoreRoundTrips } from './restore-cases';

jest.setTimeout(900_000);

describeRestoreRoundTrips(15);
