<?php

declare(strict_types=1);

namespace Punchout\Bundle\Controller;

use Punchout\BuyerProfile;
use Punchout\Bundle\Contract\OrderPlacer;
use Punchout\Bundle\Event\OrderReceivedEvent;
use Punchout\Bundle\ReceivedOrder;
use Punchout\Bundle\Storage\PunchoutStore;
use Punchout\Cart;
use Punchout\Engine;
use Punchout\OrderRecord;
use Punchout\PurchaseOrder;
use Punchout\Reconciliation;
use Punchout\Redelivery;
use Punchout\RedeliveryOutcome;
use Punchout\Verdict;
use Psr\Log\LoggerInterface;
use Symfony\Contracts\EventDispatcher\EventDispatcherInterface;

/**
 * The order leg both order endpoints share, after the engine read and authenticated the order:
 * the redelivery check against the stored records, the reconciliation against the stored
 * returned cart, the shop order through the {@see OrderPlacer}, the record, the event.
 */
final class OrderReceiver
{
    public function __construct(
        private readonly Engine $engine,
        private readonly PunchoutStore $store,
        private readonly OrderPlacer $placer,
        private readonly EventDispatcherInterface $events,
        private readonly LoggerInterface $logger,
    ) {
    }

    /**
     * @param callable(?Reconciliation, string): array{0: string, 1: int, 2: string} $answer the
     *     answer document, HTTP status and content type for the reconciliation and the status
     * @param array<string, mixed>|null $peppol the Peppol order as read
     * @return array{0: string, 1: int, 2: string} the answer sent
     */
    public function receive(BuyerProfile $profile, string $protocol, PurchaseOrder $order, callable $answer, ?array $peppol = null): array
    {
        $redelivery = $this->engine->ordersCheckRedelivery($order, $this->store->orderRecords($order->buyerId, $order->orderId));
        if ($redelivery->outcome === RedeliveryOutcome::Duplicate) {
            return $this->duplicate($protocol, $order, $redelivery, $peppol);
        }

        $lineRefs = array_map(static fn ($line) => (string) $line->supplierPartAuxiliaryId, $order->lines);
        $found = $this->store->findReturnedCart($order->buyerId, $lineRefs);
        [$cartId, $cart, $session] = $found ?? [null, new Cart($order->currency, []), null];
        $reconciliation = $this->engine->ordersReconcile($profile, $order, $cart, $session?->protocol === 'cxml' ? $session->data : null);
        $received = new ReceivedOrder($order->buyerId, $protocol, $order, $redelivery, $reconciliation, $found === null ? null : $cart, $cartId, $session, $peppol);

        $id = $this->store->claimOrder($protocol, $order, $redelivery->outcome->value, $cartId);
        if ($id === null) {
            // The same order arrived concurrently and claimed its key first.
            return $this->duplicate($protocol, $order, $redelivery, $peppol);
        }
        $status = match (true) {
            \in_array($redelivery->outcome, [RedeliveryOutcome::Conflict, RedeliveryOutcome::UnknownPrevious], true) => OrderReceivedEvent::HELD,
            $reconciliation->verdict === Verdict::Reject => OrderReceivedEvent::REJECTED,
            $reconciliation->verdict === Verdict::Hold => OrderReceivedEvent::HELD,
            default => OrderReceivedEvent::PLACED,
        };
        $shopOrderRef = null;
        if ($status === OrderReceivedEvent::PLACED) {
            try {
                $shopOrderRef = $this->placer->place($received);
            } catch (\Throwable $error) {
                // Not recorded: the buyer's retry is processed anew.
                $this->store->releaseOrder($id);
                throw $error;
            }
        }
        [$document, $httpStatus, $contentType] = $answer($reconciliation, $status);
        $this->store->completeOrder($id, $reconciliation->verdict->value, $reconciliation->jsonSerialize(), $status, $shopOrderRef, $document, $httpStatus, $contentType);
        $this->logger->info('punchout: order `{order}` of buyer `{buyer}` received ({outcome}, {verdict}): {status}', [
            'order' => $order->orderId,
            'buyer' => $order->buyerId,
            'outcome' => $redelivery->outcome->value,
            'verdict' => $reconciliation->verdict->value,
            'status' => $status,
        ]);
        $this->events->dispatch(new OrderReceivedEvent($received, $status, $shopOrderRef));
        return [$document, $httpStatus, $contentType];
    }

    /** @return array{0: string, 1: int, 2: string} */
    private function duplicate(string $protocol, PurchaseOrder $order, Redelivery $redelivery, ?array $peppol): array
    {
        $known = $redelivery->known ?? OrderRecord::of($order);
        $stored = $this->store->storedAnswer($known->idempotencyKey);
        $this->logger->notice('punchout: order `{order}` of buyer `{buyer}` delivered again: answered as before, not applied again', ['order' => $order->orderId, 'buyer' => $order->buyerId]);
        $this->events->dispatch(new OrderReceivedEvent(
            new ReceivedOrder($order->buyerId, $protocol, $order, $redelivery, null, null, null, null, $peppol),
            OrderReceivedEvent::DUPLICATE,
            $stored['shop_order_ref'] ?? null,
        ));
        if ($stored === null) {
            // The first delivery is still being processed: ask the buyer to come back.
            throw new OrderInProgress($order->orderId);
        }
        return [$stored['response'], $stored['response_status'], $stored['response_type']];
    }
}
