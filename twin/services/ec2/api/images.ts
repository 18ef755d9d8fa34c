import type { DescribeImagesRequest, DescribeImagesResult, Image } from '@aws-sdk/client-ec2';
import { AwsError } from '../../../core/errors.ts';
import type { Ec2Model } from '../model/index.ts';
import { AMAZON_OWNER_ID, type PublicImage, publicImages } from '../model/public-images.ts';
import { describe, withDryRun } from './shared.ts';

/**
 * DescribeImages over the public Amazon Linux images of the region
 * (model/public-images.ts), the ones the public SSM AMI parameters name
 * (API_DescribeImages). The twin has no private or shared images, so
 * `Owners: ['self']` finds none.
 */
type Listed = PublicImage & { tags: Record<string, string> };

const AMI_ID = /^ami-([0-9a-f]{8}|[0-9a-f]{17})$/;

/** "The image id '[ami-…]' does not exist" (InvalidAMIID.NotFound, EC2 error codes). */
const imageNotFound = (id: string) =>
  AMI_ID.test(id)
    ? new AwsError('InvalidAMIID.NotFound', `The image id '[${id}]' does not exist`)
    : new AwsError('InvalidAMIID.Malformed', `Invalid id: "${id}" (expecting "ami-...")`);

/** `Owners`: account ids or the aliases `self`, `amazon`, `aws-marketplace` (API_DescribeImages). */
function ownedBy(owners: string[] | undefined): (image: PublicImage) => boolean {
  if (!owners?.length) return () => true;
  return () => owners.includes('amazon') || owners.includes(AMAZON_OWNER_ID);
}

function render(image: PublicImage): Image {
  return {
    ImageId: image.imageId,
    ImageLocation: `amazon/${image.name}`,
    State: 'available',
    OwnerId: AMAZON_OWNER_ID,
    ImageOwnerAlias: 'amazon',
    CreationDate: image.createdAt,
    Public: true,
    Architecture: image.architecture,
    ImageType: 'machine',
    Name: image.name,
    Description: image.description,
    RootDeviceType: 'ebs',
    RootDeviceName: '/dev/xvda',
    VirtualizationType: 'hvm',
    Hypervisor: 'xen',
    EnaSupport: true,
    SriovNetSupport: 'simple',
    PlatformDetails: 'Linux/UNIX',
    UsageOperation: 'RunInstances',
    BlockDeviceMappings: [
      {
        DeviceName: '/dev/xvda',
        Ebs: {
          DeleteOnTermination: true,
          SnapshotId: image.snapshotId,
          VolumeSize: 8,
          VolumeType: image.al2023 ? 'gp3' : 'gp2',
          Encrypted: false,
        },
      },
    ],
    ...(image.al2023 && { BootMode: 'uefi-preferred', ImdsSupport: 'v2.0' }),
  };
}

export const imageHandlers = withDryRun({
  DescribeImages(model: Ec2Model, input: DescribeImagesRequest): DescribeImagesResult {
    const owned = ownedBy(input.Owners);
    const images: Listed[] = publicImages(model.region)
      .filter(owned)
      .map((image) => ({ ...image, tags: {} }));
    const { page, nextToken } = describe(images, input, {
      ids: input.ImageIds,
      idOf: (image) => image.imageId,
      missing: imageNotFound,
      // The filters of API_DescribeImages that a public Amazon Linux image can answer.
      accessors: {
        'image-id': (i) => i.imageId,
        name: (i) => i.name,
        description: (i) => i.description,
        'owner-alias': () => 'amazon',
        'owner-id': () => AMAZON_OWNER_ID,
        architecture: (i) => i.architecture,
        state: () => 'available',
        'is-public': () => 'true',
        'image-type': () => 'machine',
        'root-device-type': () => 'ebs',
        'root-device-name': () => '/dev/xvda',
        'virtualization-type': () => 'hvm',
        hypervisor: () => 'xen',
        'platform-details': () => 'Linux/UNIX',
        'usage-operation': () => 'RunInstances',
        'ena-support': () => 'true',
        'block-device-mapping.snapshot-id': (i) => i.snapshotId,
        'block-device-mapping.volume-type': (i) => (i.al2023 ? 'gp3' : 'gp2'),
        'creation-date': (i) => i.createdAt,
      },
    });
    return { Images: page.map(render), ...(nextToken && { NextToken: nextToken }) };
  },
});
