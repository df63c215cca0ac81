"""The DynamoDB job store (needs boto3: `pip install 'apiscope[aws]'`).

Modules: `connection` (URL, clients, error translation), `items` (jobs as items), `blobs`
(large values in S3), `table` (schema and upgrades), `requests` (conditional writes, queries),
`listing` (index queries), `store` (the `JobStore` itself).
"""

from apiscope.jobs.stores.dynamodb.store import DynamoDBStore

__all__ = ["DynamoDBStore"]
