import { PropProblem } from './errors';

// Kubernetes name rules (k8s.io/apimachinery pkg/util/validation) and CNPG's cluster name limit
// (internal/webhook/v1/cluster_webhook.go validateName: a DNS-1035 label of at most 50 characters, because
// CNPG derives service, pod and PVC names from it).
const DNS1035 = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export const MAX_CLUSTER_NAME = 50;

/** A CNPG cluster name: DNS-1035 label, at most 50 characters. */
export function checkClusterName(prop: string, value: string, example: string): PropProblem | undefined {
  return checkPattern(prop, value, DNS1035, MAX_CLUSTER_NAME,
    'must be a DNS-1035 label (lower-case letters, digits and "-", starting with a letter, ending with a letter or digit)', example);
}

/** A Kubernetes object name (DNS-1123 subdomain, at most 253 characters). */
export function checkObjectName(prop: string, value: string, example: string): PropProblem | undefined {
  return checkPattern(prop, value, DNS1123_SUBDOMAIN, 253,
    'must be a DNS-1123 subdomain (lower-case letters, digits, "-" and ".")', example);
}

/** A namespace name (DNS-1123 label, at most 63 characters). */
export function checkNamespaceName(prop: string, value: string, example: string): PropProblem | undefined {
  return checkPattern(prop, value, DNS1123_LABEL, 63, 'must be a DNS-1123 label (lower-case letters, digits and "-")', example);
}

/** A server name: the folder under an ObjectStore's destinationPath a cluster archives into (one path segment). */
export function isServerName(value: string | undefined): boolean {
  return typeof value === 'string' && /^[A-Za-z0-9][-A-Za-z0-9_.]*$/.test(value);
}

/** A Secret key (letters, digits, "-", "_", "."). */
export function checkSecretKey(prop: string, value: string, example: string): PropProblem | undefined {
  return checkPattern(prop, value, /^[-._a-zA-Z0-9]+$/, 253, 'must be a Secret key (letters, digits, "-", "_" and ".")', example);
}

function checkPattern(prop: string, value: string, re: RegExp, max: number, rule: string, example: string): PropProblem | undefined {
  if (typeof value !== 'string' || value.trim() === '') {
    return { prop, problem: 'must not be empty', value, fix: `use a name such as ${JSON.stringify(example)}` };
  }
  if (value.length > max) {
    return { prop, problem: `is ${value.length} characters long, the limit is ${max}`, value, fix: `use a shorter name such as ${JSON.stringify(example)}` };
  }
  if (!re.test(value)) {
    const suggestion = value.trim().toLowerCase().replace(/[^-a-z0-9.]+/g, '-').replace(/^[^a-z]+/, '').replace(/[-.]+$/, '');
    return { prop, problem: rule, value, fix: `use ${JSON.stringify(suggestion && re.test(suggestion) ? suggestion : example)}` };
  }
  return undefined;
}
