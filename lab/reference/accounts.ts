/** The reference lab's accounts and region (lab.md). */
export const LAB_ACCOUNT = '111111111111';
export const ARCHIVE_ACCOUNT = '222222222222';
export const REGION = 'us-east-1';
