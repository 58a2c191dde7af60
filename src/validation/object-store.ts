/**
 * What barman-cloud needs of an ObjectStore's `spec.configuration` beyond its schema ([P] the barman-cloud library
 * the plugin uses, `BarmanObjectStoreConfiguration` and its credentials; barman `cloud_*` tools choose the
 * provider from the destinationPath's scheme): a URL it understands, and credentials of the matching provider.
 */
import { dig, Entry, isObj, Obj, PLUGIN_GROUP, ValidationContext } from './context';
import { show } from './finding';

const CREDENTIALS = ['s3Credentials', 'azureCredentials', 'googleCredentials'] as const;
type Credentials = typeof CREDENTIALS[number];

/** The provider a destinationPath's scheme selects, or undefined when barman-cloud cannot use it. */
function providerOf(destinationPath: string): Credentials | undefined {
  if (/^s3:\/\/[^/\s]+/.test(destinationPath)) return 's3Credentials';
  if (/^gs:\/\/[^/\s]+/.test(destinationPath)) return 'googleCredentials';
  if (/^https?:\/\/[^/\s]+/.test(destinationPath)) return 'azureCredentials';
  return undefined;
}

const EXAMPLES: Readonly<Record<Credentials, string>> = {
  s3Credentials: '"s3://my-bucket/postgres/" (S3 and S3-compatible stores; the host of a compatible store goes in endpointURL)',
  googleCredentials: '"gs://my-bucket/postgres/"',
  azureCredentials: '"https://myaccount.blob.core.windows.net/my-container/postgres/"',
};

function checkConfiguration(ctx: ValidationContext, e: Entry, configuration: Obj): void {
  const destinationPath = configuration.destinationPath;
  if (typeof destinationPath !== 'string') return; // the schema reports a missing or mistyped destinationPath
  const provider = providerOf(destinationPath);
  if (!provider) {
    ctx.error(e, 'spec.configuration.destinationPath', `${show(destinationPath)} is not an object store URL barman-cloud understands`,
      `write it as ${EXAMPLES.s3Credentials}, ${EXAMPLES.googleCredentials} or ${EXAMPLES.azureCredentials}`);
    return;
  }
  const given = CREDENTIALS.filter(c => isObj(configuration[c]));
  if (given.length > 1) {
    ctx.error(e, 'spec.configuration', `one kind of credentials at a time, got ${given.join(' and ')}`,
      `keep ${provider}, which matches the destinationPath ${show(destinationPath)}`);
  } else if (given.length === 1 && given[0] !== provider) {
    ctx.error(e, `spec.configuration.${given[0]}`, `${given[0]} do not match the destinationPath ${show(destinationPath)}, which is for ${provider}`,
      given[0] === 's3Credentials' ? `write destinationPath as ${EXAMPLES.s3Credentials}` : `use ${provider}, or a destinationPath like ${EXAMPLES[given[0]]}`);
  } else if (given.length === 0) {
    ctx.warning(e, 'spec.configuration', `no credentials: barman-cloud falls back to the environment of the instance pods for ${show(destinationPath)}`,
      `set ${provider}: a Secret reference, or ${provider === 's3Credentials' ? 'inheritFromIAMRole: true' : provider === 'googleCredentials' ? 'gkeEnvironment: true' : 'inheritFromAzureAD: true'} to use the workload identity`);
  }
  const endpoint = configuration.endpointURL;
  if (typeof endpoint === 'string' && !/^https?:\/\/[^/\s]+/.test(endpoint)) {
    ctx.error(e, 'spec.configuration.endpointURL', `${show(endpoint)} is not an http(s) URL`, 'write it like "https://minio.example.lan:9000"');
  }
}

/** Checks every untrusted ObjectStore. */
export function checkObjectStores(ctx: ValidationContext): void {
  for (const e of ctx.untrusted('ObjectStore', PLUGIN_GROUP)) {
    const configuration = dig(e.doc, 'spec', 'configuration');
    if (configuration) checkConfiguration(ctx, e, configuration);
  }
}
