import { createHash } from 'node:crypto';

/**
 * The public Amazon Linux images operators launch from, and the public SSM
 * parameters naming them (`/aws/service/ami-amazon-linux-latest/…`, "Query
 * for the latest Amazon Linux AMI IDs using Systems Manager Parameter Store",
 * Amazon Linux 2023 User Guide; "Finding public parameters", Systems Manager
 * User Guide). Both are read-only and per region: an AMI id belongs to one
 * region, so the same parameter names a different image in each region.
 *
 * Names follow AWS's patterns (`al2023-ami-<release>-kernel-6.1-x86_64`,
 * `amzn2-ami-kernel-5.10-hvm-<release>-x86_64-gp2`), owned by Amazon's
 * account 137112412989 with owner alias `amazon`. The release numbers, ids,
 * snapshot ids and dates are the twin's stable stand-ins, not AWS's current
 * ones (LIMITATIONS in ec2/api.ts and ssm/api.ts).
 */
export const AMAZON_OWNER_ID = '137112412989';
export const PUBLIC_AMI_PREFIX = '/aws/service/ami-amazon-linux-latest';

/** When the stand-in releases were published (the images' CreationDate and the parameters' LastModifiedDate). */
const RELEASED = '2026-10-01T00:00:00.000Z';

export interface PublicImage {
  imageId: string;
  name: string;
  description: string;
  architecture: 'x86_64' | 'arm64';
  /** AL2023 images are UEFI-preferred and require IMDSv2 ("AL2023 on Amazon EC2", User Guide). */
  al2023: boolean;
  snapshotId: string;
  createdAt: string;
  /** The public parameters (full names) that resolve to this image. */
  parameters: string[];
}

interface Family {
  /** Name with `{arch}` for the architecture. */
  name: string;
  description: string;
  al2023: boolean;
  /** Parameter leaf names (under PUBLIC_AMI_PREFIX), with `{arch}`. */
  parameters: string[];
  architectures: ('x86_64' | 'arm64')[];
}

const AL2023 = '2023.9.20261001.0';
const AL2 = '2.0.20261001.0';

const FAMILIES: Family[] = [
  {
    name: `al2023-ami-${AL2023}-kernel-6.1-{arch}`,
    description: 'Amazon Linux 2023 AMI 2023 {arch} HVM kernel-6.1',
    al2023: true,
    parameters: ['al2023-ami-kernel-default-{arch}', 'al2023-ami-kernel-6.1-{arch}'],
    architectures: ['x86_64', 'arm64'],
  },
  {
    name: `al2023-ami-minimal-${AL2023}-kernel-6.1-{arch}`,
    description: 'Amazon Linux 2023 AMI 2023 {arch} Minimal HVM kernel-6.1',
    al2023: true,
    parameters: ['al2023-ami-minimal-kernel-default-{arch}', 'al2023-ami-minimal-kernel-6.1-{arch}'],
    architectures: ['x86_64', 'arm64'],
  },
  {
    name: `amzn2-ami-kernel-5.10-hvm-${AL2}-{arch}-gp2`,
    description: 'Amazon Linux 2 Kernel 5.10 AMI 2.0 {arch} HVM gp2',
    al2023: false,
    parameters: ['amzn2-ami-kernel-5.10-hvm-{arch}-gp2'],
    architectures: ['x86_64', 'arm64'],
  },
  {
    name: `amzn2-ami-hvm-${AL2}-x86_64-gp2`,
    description: 'Amazon Linux 2 AMI 2.0 x86_64 HVM gp2',
    al2023: false,
    parameters: ['amzn2-ami-hvm-x86_64-gp2'],
    architectures: ['x86_64'],
  },
];

/** A stable id of AWS's shape (`ami-` or `snap-` and 17 hex digits) for one image in one region. */
function standInId(prefix: string, region: string, name: string): string {
  return `${prefix}-${createHash('sha256').update(`${region}/${name}`).digest('hex').slice(0, 17)}`;
}

const cache = new Map<string, PublicImage[]>();

/** The public images of a region. */
export function publicImages(region: string): PublicImage[] {
  let images = cache.get(region);
  if (images) return images;
  images = FAMILIES.flatMap((f) =>
    f.architectures.map((arch) => {
      const name = f.name.replace('{arch}', arch);
      return {
        imageId: standInId('ami', region, name),
        name,
        description: f.description.replace('{arch}', arch),
        architecture: arch,
        al2023: f.al2023,
        snapshotId: standInId('snap', region, name),
        createdAt: RELEASED,
        parameters: f.parameters.map((p) => `${PUBLIC_AMI_PREFIX}/${p.replace('{arch}', arch)}`),
      };
    }),
  );
  cache.set(region, images);
  return images;
}

export interface PublicParameter {
  name: string;
  value: string;
  lastModified: string;
}

/** The public AMI parameters of a region, sorted by name. */
export function publicAmiParameters(region: string): PublicParameter[] {
  return publicImages(region)
    .flatMap((image) =>
      image.parameters.map((name) => ({ name, value: image.imageId, lastModified: image.createdAt })),
    )
    .sort((a, b) => a.name.localeCompare(b.name));
}
