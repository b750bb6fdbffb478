<?php

declare(strict_types=1);

namespace Punchout\Bundle\Controller;

use Punchout\Bundle\Event\OrderReceivedEvent;
use Punchout\Bundle\Profile\ProfileRegistry;
use Punchout\Engine;
use Punchout\Exception\RejectedException;
use Punchout\Exception\UnknownBuyerException;
use Punchout\PurchaseOrder;
use Punchout\Reconciliation;
use Psr\Log\LoggerInterface;
use Symfony\Component\HttpFoundation\Request;
use Symfony\Component\HttpFoundation\Response;

/**
 * POST {prefix}/peppol/order — a Peppol Order (T01), as the shop's access point hands it over.
 * Identified among the Peppol buyers by its endpoints, read by the engine, then
 * {@see OrderReceiver}. Answered with the Order Response (T76) the verdict gives (`accept`,
 * `accept-with-changes` → accepted as ordered, `reject` → rejected with the reconciliation's
 * reason); a held order gets 202 and no T76 yet: a person decides. A duplicate gets the first
 * answer again. A refused document: 400 (401 for an unknown buyer) with the engine's message.
 */
final class PeppolOrderController
{
    public function __construct(
        private readonly Engine $engine,
        private readonly ProfileRegistry $profiles,
        private readonly OrderReceiver $receiver,
        private readonly LoggerInterface $logger,
    ) {
    }

    public function __invoke(Request $request): Response
    {
        $body = $request->getContent();
        try {
            $profile = $this->engine->ordersIdentifyPeppolOrder($this->profiles->speaking('peppol'), $body);
            $read = $this->engine->ordersReadPeppolOrder($profile, $body);
        } catch (RejectedException $error) {
            $this->logger->warning('punchout: Peppol order refused: {error}', ['error' => $error->getMessage()]);
            return new Response($error->getMessage() . "\n", $error instanceof UnknownBuyerException ? 401 : 400, ['Content-Type' => 'text/plain; charset=UTF-8']);
        }
        $order = PurchaseOrder::fromArray($read['order']);
        try {
            [$document, $status, $type] = $this->receiver->receive($profile, 'peppol', $order, function (?Reconciliation $reconciliation, string $outcome) use ($read): array {
                if ($outcome === OrderReceivedEvent::HELD) {
                    return ['', 202, 'application/xml'];
                }
                $decision = ['response_id' => 'R-' . bin2hex(random_bytes(8)), 'issue_date' => gmdate('Y-m-d')];
                return [$this->engine->ordersPeppolOrderResponse($read, $decision, $reconciliation), 200, 'application/xml'];
            }, $read);
        } catch (OrderInProgress) {
            return new Response("the order is being processed\n", 409, ['Content-Type' => 'text/plain; charset=UTF-8']);
        } catch (RejectedException $error) {
            $this->logger->error('punchout: Peppol order `{order}` not answered: {error}', ['order' => $order->orderId, 'error' => $error->getMessage()]);
            return new Response("the supplier could not process the order\n", 500, ['Content-Type' => 'text/plain; charset=UTF-8']);
        } catch (\Throwable $error) {
            $this->logger->error('punchout: Peppol order `{order}` failed: {error}', ['order' => $order->orderId, 'error' => $error->getMessage(), 'exception' => $error]);
            return new Response("the supplier could not process the order\n", 500, ['Content-Type' => 'text/plain; charset=UTF-8']);
        }
        return new Response($document, $status, ['Content-Type' => $type, 'Cache-Control' => 'no-store']);
    }
}
