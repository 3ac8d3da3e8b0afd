import { type CloudWatchLogsClient, GetLogEventsCommand } from "@aws-sdk/client-cloudwatch-logs";
import type { LogApi } from "./ports.ts";

/**
 * The CloudWatch Logs adapter of {@link LogApi}: GetLogEvents from the head, paged by nextForwardToken. A
 * stream CodeBuild has named but not yet created reads as empty.
 * @example const logs = awsLogApi(new CloudWatchLogsClient({}));
 */
export function awsLogApi(client: CloudWatchLogsClient): LogApi {
  return {
    async page(group, stream, token) {
      try {
        const out = await client.send(
          new GetLogEventsCommand({
            logGroupName: group,
            logStreamName: stream,
            startFromHead: true,
            nextToken: token,
          }),
        );
        return {
          messages: (out.events ?? []).map((event) => event.message ?? ""),
          nextToken: out.nextForwardToken,
        };
      } catch (error) {
        if ((error as { name?: string }).name === "ResourceNotFoundException")
          return { messages: [], nextToken: token };
        throw error;
      }
    },
  };
}
