import type { PortcullisEvent } from "../../events/index.ts";
import type { EventPublisher } from "../../handlers/ports.ts";
import type { LocalEventBus } from "../bus/LocalEventBus.ts";

/**
 * {@link EventPublisher} that puts Portcullis events back on the local bus, where the same rule patterns
 * as the custom EventBridge bus route them (replicate, report, notify …).
 * @example createGateHandler({ …, events: new BusEventPublisher(bus) })
 */
export class BusEventPublisher implements EventPublisher {
  constructor(private readonly bus: LocalEventBus) {}

  async publish(events: readonly PortcullisEvent[]): Promise<void> {
    this.bus.put(events);
  }
}
