# Seed 000's EventWriterLambda (PHASE 8, "Lambda Function Code"), unchanged: the
# reference lab deploys its Node.js twin (index.mjs) so a default run needs no
# Python; the CLI lab (lab/cli-lab/build.sh) deploys this one on a Python runtime.
import os
import boto3
from datetime import datetime
import json

# Environment variables
S3_BUCKET = os.environ['BUCKET_NAME']
DYNAMO_TABLE = "AppEvents"

# Clients
s3 = boto3.client('s3')
dynamodb = boto3.resource('dynamodb')
table = dynamodb.Table(DYNAMO_TABLE)

def lambda_handler(event, context):
    # DynamoDB PutItem
    item = {
        'EventID': str(datetime.utcnow().timestamp()),
        'Timestamp': datetime.utcnow().isoformat(),
        'Message': 'Test Event'
    }
    table.put_item(Item=item)

    # S3 Upload
    s3.put_object(
        Bucket=S3_BUCKET,
        Key=f"logs/event-{item['EventID']}.json",
        Body=json.dumps(item)
    )

    return {
        'statusCode': 200,
        'body': json.dumps('Event written to DynamoDB and uploaded to S3!')
    }
