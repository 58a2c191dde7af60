import { PropErrors } from './errors';
import { DEFAULT_POSTGRES_IMAGE } from '../upstream/catalog';

/** The image must name a tag (or digest) and not a moving one. */
export function checkImage(errors: PropErrors, image: string, prop: string = 'imageName'): void {
  const tag = /@sha256:[0-9a-f]{64}$/.test(image) ? 'digest' : image.match(/:([\w][\w.-]{0,127})$/)?.[1];
  if (!image || /\s/.test(image) || !tag) {
    errors.add(prop, 'must name the image with a tag or digest', image, `use e.g. ${JSON.stringify(DEFAULT_POSTGRES_IMAGE)}`);
  } else if (tag === 'latest') {
    errors.add(prop, 'must not use the moving "latest" tag (a restore could get another major version)', image, `pin a version, e.g. ${JSON.stringify(DEFAULT_POSTGRES_IMAGE)}`);
  }
}
