<?php

declare(strict_types=1);

namespace Punchout\Bundle\Controller;

use Punchout\Bundle\Contract\CartProvider;
use Punchout\Bundle\Event\CartTransferredEvent;
use Punchout\Bundle\Http\CxmlResponder;
use Punchout\Bundle\Http\Pages;
use Punchout\Bundle\Profile\ProfileRegistry;
use Punchout\Bundle\PunchoutContext;
use Punchout\Bundle\PunchoutSession;
use Punchout\Bundle\Storage\PunchoutStore;
use Punchout\BuyerProfile;
use Punchout\Cart;
use Punchout\Engine;
use Punchout\Exception\RejectedException;
use Punchout\Exception\ReturnUrlNotAllowedException;
use Psr\Log\LoggerInterface;
use Symfony\Component\HttpFoundation\Request;
use Symfony\Component\HttpFoundation\Response;
use Symfony\Contracts\EventDispatcher\EventDispatcherInterface;

/**
 * POST {prefix}/transfer — the buyer's user sends the cart back. The shop's cart (from the
 * {@see CartProvider}) becomes the page that posts itself to the buyer's system, in the buyer's
 * protocol: the cXML PunchOutOrderMessage form, the OCI `NEW_ITEM-*` form in the buyer's charset,
 * or the Peppol T77 form. The cart is stored for the purchase order's reconciliation and the
 * PunchOut session ends.
 */
final class TransferController
{
    public function __construct(
        private readonly Engine $engine,
        private readonly ProfileRegistry $profiles,
        private readonly PunchoutStore $store,
        private readonly PunchoutContext $context,
        private readonly CartProvider $carts,
        private readonly CxmlResponder $cxml,
        private readonly Pages $pages,
        private readonly EventDispatcherInterface $events,
        private readonly LoggerInterface $logger,
    ) {
    }

    public function __invoke(Request $request): Response
    {
        $session = $this->context->current($request);
        if ($session === null) {
            return $this->context->absence($request) === 'expired'
                ? $this->pages->error(410, 'punchout.transfer.expired')
                : $this->pages->error(403, 'punchout.transfer.no_session');
        }
        $profile = $this->profiles->get($session->buyerId);
        if ($profile === null) {
            $this->logger->error('punchout: session {session} belongs to buyer `{buyer}`, whose profile is gone', ['session' => $session->id, 'buyer' => $session->buyerId]);
            return $this->pages->error(500, 'punchout.transfer.failed');
        }
        $cart = $this->carts->cartFor($session, $request);
        try {
            [$document, $page, $contentType] = match ($session->protocol) {
                'cxml' => $this->cxmlPage($profile, $session, $cart),
                'oci' => $this->ociPage($profile, $session, $cart),
                'peppol' => $this->peppolPage($profile, $session, $cart),
                default => throw new \LogicException("session {$session->id} has an unknown protocol `{$session->protocol}`"),
            };
        } catch (ReturnUrlNotAllowedException $error) {
            $this->logger->warning('punchout: cart of session {session} not transferred: {error}', ['session' => $session->id, 'error' => $error->getMessage()]);
            return $this->pages->error(403, 'punchout.transfer.return_url_not_allowed');
        } catch (RejectedException $error) {
            // The shop's cart or the stored session did not pass the engine's checks: the shop's problem.
            $this->logger->error('punchout: cart of session {session} not transferred: {error}', ['session' => $session->id, 'error' => $error->getMessage()]);
            return $this->pages->error(500, 'punchout.transfer.failed');
        }
        $cartId = $this->store->saveReturnedCart($session, $cart);
        $this->context->end($request);
        $this->carts->clear($session, $request);
        $this->logger->info('punchout: cart {cart} ({lines} lines) transferred to buyer `{buyer}` by {protocol}, session {session}', [
            'cart' => $cartId,
            'lines' => \count($cart->lines),
            'buyer' => $session->buyerId,
            'protocol' => $session->protocol,
            'session' => $session->id,
        ]);
        $this->events->dispatch(new CartTransferredEvent($session, $cart, $cartId, $document));
        return new Response($page, 200, ['Content-Type' => $contentType, 'Cache-Control' => 'no-store']);
    }

    /** @return array{0: string, 1: string, 2: string} */
    private function cxmlPage(BuyerProfile $profile, PunchoutSession $session, Cart $cart): array
    {
        $return = $this->engine->cxmlCartReturn($profile, $session->data, $cart, $this->cxml->envelope());
        return [$return->message, $return->formHtml, 'text/html; charset=UTF-8'];
    }

    /** @return array{0: string, 1: string, 2: string} */
    private function ociPage(BuyerProfile $profile, PunchoutSession $session, Cart $cart): array
    {
        $ociSession = $session->data;
        unset($ociSession['function']);
        $page = $this->engine->ociCartForm($profile, $ociSession, $cart);
        return [$page->body, $page->body, $page->contentType];
    }

    /** @return array{0: string, 1: string, 2: string} */
    private function peppolPage(BuyerProfile $profile, PunchoutSession $session, Cart $cart): array
    {
        $return = $this->engine->peppolCart($profile, $cart, (string) ($session->data['return_url'] ?? ''), $this->cxml->envelope());
        if ($return->formHtml === null) {
            throw new \LogicException("buyer `{$profile->id}` takes its Peppol cart by a server-side POST; this bundle delivers by the buyer's browser (set peppol.delivery.mode to `form`)");
        }
        return [$return->document, $return->formHtml, 'text/html; charset=UTF-8'];
    }
}
