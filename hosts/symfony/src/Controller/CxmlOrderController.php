<?php

declare(strict_types=1);

namespace Punchout\Bundle\Controller;

use Punchout\Bundle\Http\CxmlResponder;
use Punchout\Bundle\Profile\ProfileRegistry;
use Punchout\Engine;
use Punchout\Exception\RejectedException;
use Punchout\Reconciliation;
use Psr\Log\LoggerInterface;
use Symfony\Component\HttpFoundation\Request;
use Symfony\Component\HttpFoundation\Response;

/**
 * POST {prefix}/cxml/order — the buyer's system sends the approved purchase order (cXML
 * OrderRequest). Identified among the cXML buyers and authenticated by the engine (a refusal is
 * its cXML `Response`: 401, 400, …); then {@see OrderReceiver}. Every received order is
 * acknowledged with cXML 200 (received): the verdict reaches the buyer through the confirmation
 * the shop sends when it decides; a duplicate gets the first answer again.
 */
final class CxmlOrderController
{
    public function __construct(
        private readonly Engine $engine,
        private readonly ProfileRegistry $profiles,
        private readonly OrderReceiver $receiver,
        private readonly CxmlResponder $cxml,
        private readonly LoggerInterface $logger,
    ) {
    }

    public function __invoke(Request $request): Response
    {
        $body = $request->getContent();
        $envelope = $this->cxml->envelope();
        try {
            $profile = $this->engine->ordersIdentifyCxmlOrder($this->profiles->speaking('cxml'), $body);
            $order = $this->engine->ordersReadCxmlOrder($profile, $body);
        } catch (RejectedException $error) {
            $this->logger->warning('punchout: cXML order refused: {error}', ['error' => $error->getMessage()]);
            return $this->cxml->refused($error, $envelope);
        }
        try {
            [$document, $status, $type] = $this->receiver->receive(
                $profile,
                'cxml',
                $order,
                fn (?Reconciliation $reconciliation, string $outcome): array => [$this->engine->ordersCxmlOrderResponse($envelope), 200, 'text/xml; charset=UTF-8'],
            );
        } catch (OrderInProgress) {
            return $this->cxml->refused(RejectedException::fromError(['code' => 'invalid-order', 'message' => 'the order is being processed', 'location' => []]), $envelope);
        } catch (RejectedException $error) {
            // The stored cart or session did not pass the engine's checks: the shop's problem (500).
            $this->logger->error('punchout: cXML order `{order}` not reconciled: {error}', ['order' => $order->orderId, 'error' => $error->getMessage()]);
            return $this->cxml->refused($error, $envelope);
        } catch (\Throwable $error) {
            // The shop could not place or store it: 500, the buyer delivers it again.
            $this->logger->error('punchout: cXML order `{order}` failed: {error}', ['order' => $order->orderId, 'error' => $error->getMessage(), 'exception' => $error]);
            return $this->cxml->refused(RejectedException::fromError(['code' => 'invalid-order', 'message' => 'the shop could not place the order', 'location' => []]), $envelope);
        }
        return new Response($document, $status, ['Content-Type' => $type, 'Cache-Control' => 'no-store']);
    }
}
