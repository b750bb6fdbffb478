<?php

declare(strict_types=1);

namespace App\Shop;

use Punchout\Bundle\Event\CartTransferredEvent;
use Punchout\Bundle\Event\OrderReceivedEvent;
use Punchout\Bundle\Event\SessionStartedEvent;
use Psr\Log\LoggerInterface;
use Symfony\Component\EventDispatcher\EventSubscriberInterface;

/**
 * The shop's part in the PunchOut steps, without touching the bundle's controllers: an edited
 * cart is restored at start; received orders are logged (a held one would open a task for the
 * sales team here).
 */
final class PunchoutSubscriber implements EventSubscriberInterface
{
    public function __construct(private readonly ShopCart $cart, private readonly LoggerInterface $logger)
    {
    }

    public static function getSubscribedEvents(): array
    {
        return [
            SessionStartedEvent::class => 'onSessionStarted',
            CartTransferredEvent::class => 'onCartTransferred',
            OrderReceivedEvent::class => 'onOrderReceived',
        ];
    }

    public function onSessionStarted(SessionStartedEvent $event): void
    {
        $items = [];
        foreach ($event->session->items() as $line) {
            $items[$line->sku] = $line->quantity;
        }
        $this->cart->replace($items);
    }

    public function onCartTransferred(CartTransferredEvent $event): void
    {
        $this->logger->info('shop: cart {cart} went to {buyer}', ['cart' => $event->cartId, 'buyer' => $event->session->buyerId]);
    }

    public function onOrderReceived(OrderReceivedEvent $event): void
    {
        $this->logger->info('shop: purchase order {order} {status} ({verdict})', [
            'order' => $event->order->order->orderId,
            'status' => $event->status,
            'verdict' => $event->verdict()?->value ?? 'not reconciled',
        ]);
    }
}
