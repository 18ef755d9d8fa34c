#!/usr/bin/env bash
# Builds a small lab with the AWS CLI alone: a hub VPC and two spokes on a
# Transit Gateway, spokes kept apart, one SSM-managed host in each, no
# internet path; a trail of every Region to S3 and CloudWatch Logs with the
# data bucket's object events; flow logs to CloudWatch Logs and to a bucket
# of the log archive account; seed 000's application: the AppEvents table,
# an app bucket and the EventWriterLambda in Python (on the twin it needs a
# local python3 with boto3: Debian's python3-boto3); seed 002's PrivateLink
# service from the hub to blue, with its private zone. Run it against an empty twin (`npm run twin -- --empty`)
# or, as it is, against a sandbox account you own. Its targets are
# targets.json beside this script.
#
#   ENDPOINT=http://127.0.0.1:4566 bash lab/cli-lab/build.sh
#
# Credentials come from the environment: the lab account's administrator in
# AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, the log archive account's in
# ARCHIVE_ACCESS_KEY_ID / ARCHIVE_SECRET_ACCESS_KEY (its bucket receives a
# flow log). It ends by printing the credentials to validate with: a runner
# user holding policies/runner.json, who may assume the archive's
# meshcheck-runner role (AWS lets no root user assume a role).
set -euo pipefail
: "${ARCHIVE_ACCESS_KEY_ID:?set ARCHIVE_ACCESS_KEY_ID and ARCHIVE_SECRET_ACCESS_KEY: the log archive account's credentials}"
: "${ARCHIVE_SECRET_ACCESS_KEY:?set ARCHIVE_SECRET_ACCESS_KEY: the log archive account's secret key}"
RUNNER_POLICY="$(cd "$(dirname "$0")/../.." && pwd)/policies/runner.json"

AWS_BIN=${AWS_BIN:-/usr/bin/aws}
export AWS_DEFAULT_REGION=${AWS_DEFAULT_REGION:-us-west-2}
export AWS_PAGER=""
aws() { "$AWS_BIN" ${ENDPOINT:+--endpoint-url "$ENDPOINT"} --output text "$@"; }
name() { echo "ResourceType=$1,Tags=[{Key=Name,Value=$2}]"; }

# The hosts' instance profile: Systems Manager core, so Run Command can reach them.
aws iam create-role --role-name cli-lab-node \
  --assume-role-policy-document '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}' >/dev/null
aws iam attach-role-policy --role-name cli-lab-node \
  --policy-arn arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore
profile_arn=$(aws iam create-instance-profile --instance-profile-name cli-lab-node \
  --query InstanceProfile.Arn)
aws iam add-role-to-instance-profile --instance-profile-name cli-lab-node --role-name cli-lab-node

# vpc NAME CIDR SUBNET_CIDR HOST_IP: a VPC with one private subnet and route table, a host, and the
# SSM endpoints; prints "vpc subnet route-table".
vpc() {
  local name=$1 cidr=$2 subnet_cidr=$3 host_ip=$4
  local vpc_id subnet_id rtb_id sg_id
  vpc_id=$(aws ec2 create-vpc --cidr-block "$cidr" --tag-specifications "$(name vpc "$name")" --query Vpc.VpcId)
  aws ec2 modify-vpc-attribute --vpc-id "$vpc_id" --enable-dns-hostnames '{"Value":true}'
  subnet_id=$(aws ec2 create-subnet --vpc-id "$vpc_id" --cidr-block "$subnet_cidr" \
    --availability-zone "${AWS_DEFAULT_REGION}a" --tag-specifications "$(name subnet "$name-private")" \
    --query Subnet.SubnetId)
  rtb_id=$(aws ec2 create-route-table --vpc-id "$vpc_id" --query RouteTable.RouteTableId)
  aws ec2 associate-route-table --route-table-id "$rtb_id" --subnet-id "$subnet_id" >/dev/null
  # One group for the host and the endpoints: ICMP from the lab's 10.40.0.0/14, HTTPS from the VPC.
  sg_id=$(aws ec2 create-security-group --vpc-id "$vpc_id" --group-name "$name-sg" \
    --description "$name host and endpoints" --tag-specifications "$(name security-group "$name-sg")" \
    --query GroupId)
  aws ec2 authorize-security-group-ingress --group-id "$sg_id" --ip-permissions \
    "IpProtocol=icmp,FromPort=-1,ToPort=-1,IpRanges=[{CidrIp=10.40.0.0/14}]" \
    "IpProtocol=tcp,FromPort=443,ToPort=443,IpRanges=[{CidrIp=$cidr}]" >/dev/null
  aws ec2 run-instances --image-id ami-0c2ab3b8efb09f272 --instance-type t3.micro --count 1 \
    --subnet-id "$subnet_id" --private-ip-address "$host_ip" --security-group-ids "$sg_id" \
    --iam-instance-profile "Arn=$profile_arn" --tag-specifications "$(name instance "$name-host")" >/dev/null
  for service in ssm ssmmessages ec2messages; do
    aws ec2 create-vpc-endpoint --vpc-id "$vpc_id" --vpc-endpoint-type Interface \
      --service-name "com.amazonaws.$AWS_DEFAULT_REGION.$service" --subnet-ids "$subnet_id" \
      --security-group-ids "$sg_id" --private-dns-enabled >/dev/null
  done
  echo "$vpc_id $subnet_id $rtb_id"
}

read -r hub_vpc hub_subnet hub_rtb < <(vpc hub 10.40.0.0/16 10.40.1.0/24 10.40.1.10)
read -r blue_vpc blue_subnet blue_rtb < <(vpc blue 10.41.0.0/16 10.41.1.0/24 10.41.1.10)
read -r green_vpc green_subnet green_rtb < <(vpc green 10.42.0.0/16 10.42.1.0/24 10.42.1.10)

tgw=$(aws ec2 create-transit-gateway --description "cli lab" \
  --options DefaultRouteTableAssociation=disable,DefaultRouteTablePropagation=disable,DnsSupport=enable,AutoAcceptSharedAttachments=disable \
  --tag-specifications "$(name transit-gateway cli-lab-tgw)" --query TransitGateway.TransitGatewayId)
attach() {
  aws ec2 create-transit-gateway-vpc-attachment --transit-gateway-id "$tgw" --vpc-id "$1" --subnet-ids "$2" \
    --tag-specifications "$(name transit-gateway-attachment "$3")" \
    --query TransitGatewayVpcAttachment.TransitGatewayAttachmentId
}
hub_att=$(attach "$hub_vpc" "$hub_subnet" hub-att)
blue_att=$(attach "$blue_vpc" "$blue_subnet" blue-att)
green_att=$(attach "$green_vpc" "$green_subnet" green-att)

# The hub's table learns both spokes; the spokes' shared table learns only the hub.
table() {
  aws ec2 create-transit-gateway-route-table --transit-gateway-id "$tgw" \
    --tag-specifications "$(name transit-gateway-route-table "$1")" \
    --query TransitGatewayRouteTable.TransitGatewayRouteTableId
}
hub_table=$(table hub-rt)
spokes_table=$(table spokes-rt)
for pair in "$hub_table $hub_att" "$spokes_table $blue_att" "$spokes_table $green_att"; do
  read -r t a <<<"$pair"
  aws ec2 associate-transit-gateway-route-table --transit-gateway-route-table-id "$t" \
    --transit-gateway-attachment-id "$a" >/dev/null
done
for pair in "$hub_table $blue_att" "$hub_table $green_att" "$spokes_table $hub_att"; do
  read -r t a <<<"$pair"
  aws ec2 enable-transit-gateway-route-table-propagation --transit-gateway-route-table-id "$t" \
    --transit-gateway-attachment-id "$a" >/dev/null
done

route() { aws ec2 create-route --route-table-id "$1" --destination-cidr-block "$2" --transit-gateway-id "$tgw" >/dev/null; }
route "$hub_rtb" 10.41.0.0/16
route "$hub_rtb" 10.42.0.0/16
route "$blue_rtb" 10.40.0.0/16
route "$green_rtb" 10.40.0.0/16

# --- The trail: every Region's management events and the data bucket's object events, to S3 and to
# CloudWatch Logs. CreateTrail checks the bucket policy and the role first, so they come first.
account=$(aws sts get-caller-identity --query Account)
region=$AWS_DEFAULT_REGION
trail_arn="arn:aws:cloudtrail:$region:$account:trail/cli-lab-trail"
private_bucket() {
  if [ "$region" = us-east-1 ]; then aws s3api create-bucket --bucket "$1" >/dev/null
  else aws s3api create-bucket --bucket "$1" --create-bucket-configuration "LocationConstraint=$region" >/dev/null; fi
  aws s3api put-public-access-block --bucket "$1" --public-access-block-configuration \
    BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true
  aws s3api put-bucket-versioning --bucket "$1" --versioning-configuration Status=Enabled
}
# The bucket whose objects the trail watches.
private_bucket "cli-lab-data-$account"
# The trail's bucket, with the CloudTrail User Guide's policy ("Amazon S3 bucket policy for CloudTrail"):
# CloudTrail may read the ACL and write under AWSLogs/<account>/ with bucket-owner-full-control, for
# this trail only.
private_bucket "cli-lab-trail-$account"
aws s3api put-bucket-policy --bucket "cli-lab-trail-$account" --policy '{"Version":"2012-10-17","Statement":[
  {"Sid":"AWSCloudTrailAclCheck","Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com"},
   "Action":"s3:GetBucketAcl","Resource":"arn:aws:s3:::cli-lab-trail-'"$account"'",
   "Condition":{"StringEquals":{"aws:SourceArn":"'"$trail_arn"'"}}},
  {"Sid":"AWSCloudTrailWrite","Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com"},
   "Action":"s3:PutObject","Resource":"arn:aws:s3:::cli-lab-trail-'"$account"'/AWSLogs/'"$account"'/*",
   "Condition":{"StringEquals":{"aws:SourceArn":"'"$trail_arn"'","s3:x-amz-acl":"bucket-owner-full-control"}}}]}'
# The log group and the role CloudTrail assumes to write to it (CloudTrail User Guide, "Role policy
# document for CloudTrail to use CloudWatch Logs for monitoring"): its streams, nothing else.
aws logs create-log-group --log-group-name /cli-lab/trail
trail_group_arn="arn:aws:logs:$region:$account:log-group:/cli-lab/trail"
trail_role_arn=$(aws iam create-role --role-name cli-lab-trail-logs --query Role.Arn \
  --assume-role-policy-document '{"Version":"2012-10-17","Statement":[{"Effect":"Allow",
    "Principal":{"Service":"cloudtrail.amazonaws.com"},"Action":"sts:AssumeRole",
    "Condition":{"StringEquals":{"aws:SourceArn":"'"$trail_arn"'"}}}]}')
aws iam put-role-policy --role-name cli-lab-trail-logs --policy-name write-trail-streams \
  --policy-document '{"Version":"2012-10-17","Statement":[{"Effect":"Allow",
    "Action":["logs:CreateLogStream","logs:PutLogEvents"],
    "Resource":"'"$trail_group_arn"':log-stream:'"$account"'_CloudTrail_*"}]}'
aws cloudtrail create-trail --name cli-lab-trail --s3-bucket-name "cli-lab-trail-$account" \
  --is-multi-region-trail --enable-log-file-validation \
  --cloud-watch-logs-log-group-arn "$trail_group_arn:*" --cloud-watch-logs-role-arn "$trail_role_arn" >/dev/null
# All management events, and read and write events on every object of the data bucket (the value
# arn:aws:s3:::bucket/ selects all of its objects, API_DataResource).
aws cloudtrail put-event-selectors --trail-name cli-lab-trail --event-selectors \
  '[{"ReadWriteType":"All","IncludeManagementEvents":true,"DataResources":[{"Type":"AWS::S3::Object","Values":["arn:aws:s3:::cli-lab-data-'"$account"'/"]}]}]' >/dev/null
# A trail made with the CLI does not log until started (the console starts it; API_CreateTrail).
aws cloudtrail start-logging --name cli-lab-trail


# --- Flow logs. The hub to CloudWatch Logs through a role vpc-flow-logs.amazonaws.com assumes, with
# the VPC User Guide's permissions and trust ("IAM role for publishing flow logs to CloudWatch Logs";
# aws:SourceAccount and aws:SourceArn against the confused deputy).
# CreateFlowLogs answers 200 and reports a refused resource in Unsuccessful: fail on it.
flow_log() {
  local refused
  refused=$(aws ec2 create-flow-logs --traffic-type ALL "$@" --query 'Unsuccessful[].Error.Message')
  [ -z "$refused" ] || [ "$refused" = None ] || { echo "create-flow-logs refused: $refused" >&2; exit 1; }
}
aws logs create-log-group --log-group-name /cli-lab/flow-logs
flow_role_arn=$(aws iam create-role --role-name cli-lab-flow-logs --query Role.Arn \
  --assume-role-policy-document '{"Version":"2012-10-17","Statement":[{"Effect":"Allow",
    "Principal":{"Service":"vpc-flow-logs.amazonaws.com"},"Action":"sts:AssumeRole",
    "Condition":{"StringEquals":{"aws:SourceAccount":"'"$account"'"},
      "ArnLike":{"aws:SourceArn":"arn:aws:ec2:'"$region"':'"$account"':vpc-flow-log/*"}}}]}')
aws iam put-role-policy --role-name cli-lab-flow-logs --policy-name publish-flow-logs \
  --policy-document '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["logs:CreateLogGroup",
    "logs:CreateLogStream","logs:PutLogEvents","logs:DescribeLogGroups","logs:DescribeLogStreams"],"Resource":"*"}]}'
flow_log --resource-type VPC --resource-ids "$hub_vpc" --log-destination-type cloud-watch-logs \
  --log-group-name /cli-lab/flow-logs --deliver-logs-permission-arn "$flow_role_arn" --max-aggregation-interval 60

# The blue spoke to a bucket of the log archive account (seed 001's cross-account bucket), made with
# the archive's credentials, with the VPC User Guide's policy ("Amazon S3 bucket permissions for flow
# logs"): delivery.logs.amazonaws.com may write under AWSLogs/<lab account>/ with
# bucket-owner-full-control and check the ACL, for the lab account's deliveries only.
archive_aws() (
  unset AWS_SESSION_TOKEN
  export AWS_ACCESS_KEY_ID=$ARCHIVE_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY=$ARCHIVE_SECRET_ACCESS_KEY
  [ -z "${ARCHIVE_SESSION_TOKEN:-}" ] || export AWS_SESSION_TOKEN=$ARCHIVE_SESSION_TOKEN
  aws "$@"
)
archive=$(archive_aws sts get-caller-identity --query Account)
flows_bucket="cli-lab-flows-$archive"
if [ "$region" = us-east-1 ]; then archive_aws s3api create-bucket --bucket "$flows_bucket" >/dev/null
else archive_aws s3api create-bucket --bucket "$flows_bucket" --create-bucket-configuration "LocationConstraint=$region" >/dev/null; fi
archive_aws s3api put-public-access-block --bucket "$flows_bucket" --public-access-block-configuration \
  BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true
archive_aws s3api put-bucket-versioning --bucket "$flows_bucket" --versioning-configuration Status=Enabled
from_lab='"StringEquals":{"aws:SourceAccount":"'"$account"'"},"ArnLike":{"aws:SourceArn":"arn:aws:logs:'"$region"':'"$account"':*"}'
archive_aws s3api put-bucket-policy --bucket "$flows_bucket" --policy '{"Version":"2012-10-17","Statement":[
  {"Sid":"AWSLogDeliveryWrite","Effect":"Allow","Principal":{"Service":"delivery.logs.amazonaws.com"},
   "Action":"s3:PutObject","Resource":"arn:aws:s3:::'"$flows_bucket"'/AWSLogs/'"$account"'/*",
   "Condition":{"StringEquals":{"aws:SourceAccount":"'"$account"'","s3:x-amz-acl":"bucket-owner-full-control"},
     "ArnLike":{"aws:SourceArn":"arn:aws:logs:'"$region"':'"$account"':*"}}},
  {"Sid":"AWSLogDeliveryAclCheck","Effect":"Allow","Principal":{"Service":"delivery.logs.amazonaws.com"},
   "Action":["s3:GetBucketAcl","s3:ListBucket"],"Resource":"arn:aws:s3:::'"$flows_bucket"'",
   "Condition":{'"$from_lab"'}}]}'
flow_log --resource-type VPC --resource-ids "$blue_vpc" --log-destination-type s3 \
  --log-destination "arn:aws:s3:::$flows_bucket"

# --- The application (seed 000, PHASES 6-8): the AppEvents table, an app bucket, and the seed's
# EventWriterLambda in Python, its code unchanged (lab/reference/apps/event-writer, the one copy of the
# seed's code), in the hub's private subnet.
# The hub has no internet path: gateway endpoints for DynamoDB and S3 on its route table carry the
# writer's two calls, and its security group allows HTTPS to those services' prefix lists only.
aws dynamodb create-table --table-name AppEvents \
  --attribute-definitions AttributeName=EventID,AttributeType=S AttributeName=Timestamp,AttributeType=S \
  --key-schema AttributeName=EventID,KeyType=HASH AttributeName=Timestamp,KeyType=RANGE \
  --billing-mode PAY_PER_REQUEST >/dev/null
aws dynamodb wait table-exists --table-name AppEvents
aws dynamodb update-continuous-backups --table-name AppEvents \
  --point-in-time-recovery-specification PointInTimeRecoveryEnabled=true >/dev/null
app_bucket="cli-lab-app-$account"
private_bucket "$app_bucket"
aws s3api put-bucket-encryption --bucket "$app_bucket" --server-side-encryption-configuration \
  '{"Rules":[{"ApplyServerSideEncryptionByDefault":{"SSEAlgorithm":"AES256"}}]}'
# Plain HTTP is refused for everyone (S3 User Guide, "Enforce encryption of data in transit").
aws s3api put-bucket-policy --bucket "$app_bucket" --policy '{"Version":"2012-10-17","Statement":[
  {"Sid":"DenyInsecureTransport","Effect":"Deny","Principal":"*","Action":"s3:*",
   "Resource":["arn:aws:s3:::'"$app_bucket"'","arn:aws:s3:::'"$app_bucket"'/*"],
   "Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}'
for service in dynamodb s3; do
  aws ec2 create-vpc-endpoint --vpc-id "$hub_vpc" --vpc-endpoint-type Gateway \
    --service-name "com.amazonaws.$region.$service" --route-table-ids "$hub_rtb" >/dev/null
done
writer_sg=$(aws ec2 create-security-group --vpc-id "$hub_vpc" --group-name cli-lab-writer \
  --description "event writer: HTTPS to DynamoDB and S3 only" \
  --tag-specifications "$(name security-group cli-lab-writer)" --query GroupId)
aws ec2 revoke-security-group-egress --group-id "$writer_sg" \
  --ip-permissions 'IpProtocol=-1,IpRanges=[{CidrIp=0.0.0.0/0}]' >/dev/null
for service in dynamodb s3; do
  pl=$(aws ec2 describe-prefix-lists --filters "Name=prefix-list-name,Values=com.amazonaws.$region.$service" \
    --query 'PrefixLists[0].PrefixListId')
  aws ec2 authorize-security-group-egress --group-id "$writer_sg" \
    --ip-permissions "IpProtocol=tcp,FromPort=443,ToPort=443,PrefixListIds=[{PrefixListId=$pl}]" >/dev/null
done

# The seed's role: its two policies (PHASE 6; the bucket and the table are this lab's), the logs
# policy, and VPC access, which a function in a VPC needs for its network interfaces.
writer_role_arn=$(aws iam create-role --role-name EventWriterLambdaRole --query Role.Arn \
  --assume-role-policy-document '{"Version":"2012-10-17","Statement":[{"Effect":"Allow",
    "Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}')
s3_policy=$(aws iam create-policy --policy-name S3-AppBucket-Access --query Policy.Arn \
  --policy-document '{"Version":"2012-10-17","Statement":[{"Sid":"AllowS3AccessToAppBucket","Effect":"Allow",
    "Action":["s3:GetObject","s3:PutObject","s3:DeleteObject","s3:ListBucket"],
    "Resource":["arn:aws:s3:::'"$app_bucket"'","arn:aws:s3:::'"$app_bucket"'/*"]}]}')
table_policy=$(aws iam create-policy --policy-name DynamoDB-AppEventsWriter --query Policy.Arn \
  --policy-document '{"Version":"2012-10-17","Statement":[{"Sid":"AllowPutUpdateOnAppEvents","Effect":"Allow",
    "Action":["dynamodb:PutItem","dynamodb:UpdateItem"],
    "Resource":"arn:aws:dynamodb:'"$region"':'"$account"':table/AppEvents"}]}')
for policy in "$s3_policy" "$table_policy" \
  arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole \
  arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole; do
  aws iam attach-role-policy --role-name EventWriterLambdaRole --policy-arn "$policy"
done

# The code as the seed gives it, zipped (Python's zipfile: the CLI itself runs on Python).
app_dir=$(cd "$(dirname "$0")/../reference/apps/event-writer" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$app_dir" && python3 -m zipfile -c "$work/event-writer.zip" lambda_function.py)
# A new role takes a few seconds to be usable by Lambda on AWS ("The role defined for the function
# cannot be assumed by Lambda"): retry for a while.
for attempt in 1 2 3 4 5 6 7 8 9 10; do
  if aws lambda create-function --function-name EventWriterLambda --runtime python3.14 \
    --handler lambda_function.lambda_handler --role "$writer_role_arn" --timeout 15 \
    --zip-file "fileb://$work/event-writer.zip" --environment "Variables={BUCKET_NAME=$app_bucket}" \
    --vpc-config "SubnetIds=$hub_subnet,SecurityGroupIds=$writer_sg" >/dev/null 2>"$work/create.err"; then
    break
  fi
  grep -q 'cannot be assumed by Lambda' "$work/create.err" && [ "$attempt" -lt 10 ] || { cat "$work/create.err" >&2; exit 1; }
  sleep 3
done
aws lambda wait function-active-v2 --function-name EventWriterLambda

# --- PrivateLink (seed 002's zero-trust service path): the hub's host published through an internal
# NLB as an endpoint service that requires acceptance and allows this account only; blue consumes it
# through an interface endpoint in a group of its own (HTTPS from blue only), the provider accepts the
# connection, and the private zone svc.cli-lab.internal, associated with blue only, names it `api`.
# The hub's group already admits HTTPS from the hub's CIDR, where the NLB's node sends from (for ip
# targets the source is the node's private address: ELB User Guide, "Target security groups").
nlb_arn=$(aws elbv2 create-load-balancer --name cli-lab-nlb --type network --scheme internal \
  --subnets "$hub_subnet" --query 'LoadBalancers[0].LoadBalancerArn')
tg_arn=$(aws elbv2 create-target-group --name cli-lab-service --protocol TCP --port 443 \
  --target-type ip --vpc-id "$hub_vpc" --query 'TargetGroups[0].TargetGroupArn')
aws elbv2 register-targets --target-group-arn "$tg_arn" --targets Id=10.40.1.10,Port=443
aws elbv2 create-listener --load-balancer-arn "$nlb_arn" --protocol TCP --port 443 \
  --default-actions "Type=forward,TargetGroupArn=$tg_arn" >/dev/null
aws elbv2 wait load-balancer-available --load-balancer-arns "$nlb_arn"
read -r svc_id svc_name < <(aws ec2 create-vpc-endpoint-service-configuration \
  --network-load-balancer-arns "$nlb_arn" --acceptance-required \
  --tag-specifications "$(name vpc-endpoint-service cli-lab-service)" \
  --query 'ServiceConfiguration.[ServiceId,ServiceName]')
aws ec2 modify-vpc-endpoint-service-permissions --service-id "$svc_id" \
  --add-allowed-principals "arn:aws:iam::$account:root" >/dev/null
svc_sg=$(aws ec2 create-security-group --vpc-id "$blue_vpc" --group-name blue-service-endpoint \
  --description "the hub service's endpoint: HTTPS from blue only" \
  --tag-specifications "$(name security-group blue-service-endpoint)" --query GroupId)
aws ec2 authorize-security-group-ingress --group-id "$svc_sg" \
  --ip-permissions "IpProtocol=tcp,FromPort=443,ToPort=443,IpRanges=[{CidrIp=10.41.0.0/16}]" >/dev/null
# A service without a verified private DNS name cannot have private DNS on its endpoints.
vpce_id=$(aws ec2 create-vpc-endpoint --vpc-id "$blue_vpc" --vpc-endpoint-type Interface \
  --service-name "$svc_name" --subnet-ids "$blue_subnet" --security-group-ids "$svc_sg" \
  --no-private-dns-enabled --query VpcEndpoint.VpcEndpointId)
aws ec2 accept-vpc-endpoint-connections --service-id "$svc_id" --vpc-endpoint-ids "$vpce_id" >/dev/null
# The CLI has no waiter for an endpoint: pendingAcceptance → pending → available.
for attempt in $(seq 1 60); do
  state=$(aws ec2 describe-vpc-endpoints --vpc-endpoint-ids "$vpce_id" --query 'VpcEndpoints[0].State')
  [ "$state" = available ] && break
  [ "$attempt" -lt 60 ] || { echo "endpoint $vpce_id still $state" >&2; exit 1; }
  sleep 2
done
vpce_dns=$(aws ec2 describe-vpc-endpoints --vpc-endpoint-ids "$vpce_id" --query 'VpcEndpoints[0].DnsEntries[0].DnsName')
zone_id=$(aws route53 create-hosted-zone --name svc.cli-lab.internal --caller-reference "cli-lab-$vpce_id" \
  --vpc "VPCRegion=$region,VPCId=$blue_vpc" --hosted-zone-config PrivateZone=true \
  --query HostedZone.Id)
change_id=$(aws route53 change-resource-record-sets --hosted-zone-id "$zone_id" --query ChangeInfo.Id \
  --change-batch '{"Changes":[{"Action":"CREATE","ResourceRecordSet":{"Name":"api.svc.cli-lab.internal",
    "Type":"CNAME","TTL":300,"ResourceRecords":[{"Value":"'"$vpce_dns"'"}]}}]}')
aws route53 wait resource-record-sets-changed --id "$change_id"

# --- Who validates: a runner user with the shipped runner policy, and a role of the same policy in
# the archive that only this user may assume (to read the flow-log bucket's policy there).
aws iam create-user --user-name cli-lab-runner >/dev/null
aws iam put-user-policy --user-name cli-lab-runner --policy-name meshcheck-runner \
  --policy-document "file://$RUNNER_POLICY"
archive_aws iam create-role --role-name meshcheck-runner \
  --assume-role-policy-document '{"Version":"2012-10-17","Statement":[{"Effect":"Allow",
    "Principal":{"AWS":"arn:aws:iam::'"$account"':user/cli-lab-runner"},"Action":"sts:AssumeRole"}]}' >/dev/null
archive_aws iam put-role-policy --role-name meshcheck-runner --policy-name meshcheck-runner \
  --policy-document "file://$RUNNER_POLICY"
read -r runner_key runner_secret < <(aws iam create-access-key --user-name cli-lab-runner \
  --query 'AccessKey.[AccessKeyId,SecretAccessKey]')

echo "cli lab built: transit gateway $tgw"
echo "validate as the runner: export AWS_ACCESS_KEY_ID=$runner_key AWS_SECRET_ACCESS_KEY=$runner_secret"
