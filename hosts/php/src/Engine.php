<?php

declare(strict_types=1);

namespace Punchout;

use Punchout\Exception\HostException;
use Punchout\Exception\LibraryException;
use Punchout\Exception\MalformedXmlException;
use Punchout\Exception\RejectedException;
use Punchout\Exception\TrapException;
use Punchout\Native\Library;

/**
 * The PunchOut engine in this PHP process.
 *
 * The native library keeps one wasmtime engine and the linked component for the process's life
 * (a PHP-FPM worker's); each call runs on a fresh instance with a memory cap and a deadline.
 * Constructing an Engine is cheap once the process has started it.
 *
 * Every engine function has a typed method here that takes and returns value objects:
 * profiles ({@see Engine::compileProfile()}, {@see Engine::compileProfileFile()}), cXML
 * ({@see Engine::cxmlIdentify()}, {@see Engine::cxmlSetup()}, {@see Engine::cxmlErrorResponse()},
 * {@see Engine::cxmlCartReturn()}, {@see Engine::cxmlReadOrderMessage()}) and OCI
 * ({@see Engine::ociCallUp()}, {@see Engine::ociCartForm()}, {@see Engine::ociValidateReply()},
 * {@see Engine::ociBackgroundSearchReply()}, {@see Engine::ociQuantityCheckReply()}) and orders
 * ({@see Engine::ordersReadCxmlOrder()}, {@see Engine::ordersIdentifyCxmlOrder()},
 * {@see Engine::ordersCxmlOrderResponse()}, {@see Engine::ordersReconcile()},
 * {@see Engine::ordersCheckRedelivery()}, {@see Engine::ordersCxmlConfirmation()},
 * {@see Engine::ordersCxmlShipNotice()}, {@see Engine::ordersCxmlInvoice()}) and Peppol
 * ({@see Engine::peppolCart()}). The library's
 * function table, generated from the engine's JSON bridge, names the same functions;
 * {@see Engine::call()} runs any of them with arrays, and a test fails when a function has no
 * method. A method name that is not one of them is refused with the closest name.
 *
 * Refused input throws a subclass of {@see RejectedException} (one per error code, carrying the
 * location); a trap throws {@see TrapException}; a host failure {@see HostException}.
 */
final class Engine
{
    private const JSON = JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE | JSON_THROW_ON_ERROR;

    /** @var array<string, array{name: string, inputs: list<string>, result_keys: list<string>, result: string, documented: bool}>|null */
    private static ?array $functions = null;

    /** @var list<string>|null */
    private static ?array $errorCodes = null;

    private readonly Library $library;

    private readonly array $startInfo;

    /**
     * @param array{
     *     library?: string,
     *     component?: string,
     *     precompiled?: string,
     *     require_precompiled?: bool,
     *     memory_limit_bytes?: int,
     *     call_deadline_ms?: int,
     *     epoch_tick_ms?: int,
     * } $options paths default to $PUNCHOUT_LIBRARY, $PUNCHOUT_COMPONENT and $PUNCHOUT_PRECOMPILED,
     *   else to the files an installed package carries in its `lib/`;
     *   the limits apply to the first Engine of the process (the library starts once)
     */
    public function __construct(array $options = [])
    {
        $this->library = Library::get($options['library'] ?? null);
        unset($options['library']);
        $files = ['component' => ['PUNCHOUT_COMPONENT', 'punchout_plugin.wasm'], 'precompiled' => ['PUNCHOUT_PRECOMPILED', 'punchout_plugin.cwasm']];
        foreach ($files as $key => [$variable, $packaged]) {
            $value = getenv($variable);
            if (!isset($options[$key]) && \is_string($value) && $value !== '') {
                $options[$key] = $value;
            }
            // An installed package carries both: no variable needed.
            $options[$key] ??= Library::packaged($packaged);
            if ($options[$key] === null) {
                unset($options[$key]);
            }
        }
        [$status, $body] = $this->library->start(json_encode((object) $options, self::JSON));
        if ($status !== Library::OK) {
            throw new HostException('cannot start the PunchOut engine: ' . (self::decode($body)['message'] ?? $body));
        }
        $this->startInfo = self::decode($body);
        if ($this->startInfo['fallback_reason'] ?? null) {
            error_log("punchout: compiled the engine at start because the precompiled file is unusable: {$this->startInfo['fallback_reason']} (run bin/punchout-precompile)");
        }
    }

    /** How the process's engine started: `source` (`precompiled`/`compiled`), `fallback_reason`, `start_micros`, `config`. */
    public function startInfo(): array
    {
        return $this->startInfo;
    }

    /**
     * The engine's functions, by name, from the native library's table.
     *
     * @return array<string, array{name: string, inputs: list<string>, result_keys: list<string>, result: string, documented: bool}>
     */
    public function functions(): array
    {
        if (self::$functions === null) {
            [$status, $body] = $this->library->functions();
            if ($status !== Library::OK) {
                throw new LibraryException('cannot read the function table: ' . $body);
            }
            $table = self::decode($body);
            self::$functions = array_column($table['functions'], null, 'name');
            self::$errorCodes = $table['error_codes'];
        }
        return self::$functions;
    }

    /** @return list<string> the engine's error codes (one exception class each) */
    public function errorCodes(): array
    {
        $this->functions();
        return self::$errorCodes ?? [];
    }

    /**
     * Runs an engine function with its input object and returns its result as arrays.
     *
     * @param array<string, mixed> $input keys as in the function table; value objects are accepted
     * @throws RejectedException|TrapException|HostException
     */
    public function call(string $function, #[\SensitiveParameter] array $input): mixed
    {
        $spec = $this->functions()[$function] ?? null;
        if ($spec === null) {
            throw new \BadMethodCallException("the engine has no function `$function` (functions: " . implode(', ', array_keys($this->functions())) . ')');
        }
        if ($spec['documented'] && ($unknown = array_diff(array_keys($input), $spec['inputs']))) {
            throw new \InvalidArgumentException("`$function` takes " . implode(', ', $spec['inputs']) . ', not ' . implode(', ', $unknown));
        }
        try {
            $json = json_encode((object) $input, self::JSON);
        } catch (\JsonException) {
            // Text only crosses as UTF-8: the bridge carries documents inside JSON strings.
            throw RejectedException::fromError([
                'code' => 'malformed-xml',
                'message' => 'the input is not valid UTF-8 text',
                'location' => ['field' => $function],
            ]);
        }
        [$status, $body, $parts] = $this->library->call($function, $json);
        $answer = self::decode($body);
        if ($parts !== []) {
            // The result's documents arrive beside its JSON, as they are.
            $answer = $parts + $answer;
        }
        return match ($status) {
            Library::OK => $answer,
            Library::REJECTED => throw RejectedException::fromError($answer),
            Library::TRAP => throw new TrapException('the engine trapped: ' . ($answer['message'] ?? '')),
            default => throw new HostException('the engine host failed: ' . ($answer['message'] ?? $body)),
        };
    }

    /**
     * A method the engine does not have: refused with the closest method name, so that a typo
     * (`ociCartFrom`) says what was meant.
     *
     * @throws \BadMethodCallException always
     */
    public function __call(string $method, array $arguments): never
    {
        $methods = array_map(
            static fn (\ReflectionMethod $candidate) => $candidate->getName(),
            array_filter(
                (new \ReflectionClass(self::class))->getMethods(\ReflectionMethod::IS_PUBLIC),
                static fn (\ReflectionMethod $candidate) => !$candidate->isStatic() && !str_starts_with($candidate->getName(), '__'),
            ),
        );
        $closest = null;
        $distance = PHP_INT_MAX;
        foreach ($methods as $candidate) {
            $found = levenshtein(strtolower($method), strtolower($candidate));
            if ($found < $distance) {
                [$closest, $distance] = [$candidate, $found];
            }
        }
        $hint = $closest !== null && $distance <= max(3, intdiv(\strlen($method), 3)) ? "; did you mean `$closest()`?" : '';
        throw new \BadMethodCallException("the engine has no method `$method()`$hint (methods: " . implode(', ', $methods) . ')');
    }

    /**
     * Compiles a buyer profile (JSON text or an array) with its resolved secrets. The compiled
     * profile stays in the process; compile again when the profile or a secret changes. A
     * profile that `extends` a base is refused here: compile it with
     * {@see Engine::compileProfileFile()}, which finds the base in the same folder.
     *
     * @param array<string, mixed>|string $profile
     * @param array<string, string> $secrets reference name => value, resolved by the shop from its vault
     * @throws Exception\InvalidProfileException located by a JSON pointer
     */
    public function compileProfile(array|string $profile, #[\SensitiveParameter] array $secrets = []): BuyerProfile
    {
        $result = $this->call('compile-profile', ['profile' => $profile, 'secrets' => (object) $secrets]);
        return new BuyerProfile((string) $result['id'], (string) ($result['protocol'] ?? ''));
    }

    /**
     * Compiles the buyer profile in a file; when it `extends` a base, the base is read from the
     * same folder (`ID.json`, or the `.json` file there whose `id` is `ID`; never a file outside
     * it). Errors name the file they are about (the profile or its base) in the message.
     *
     * @param array<string, string> $secrets reference name => value, resolved by the shop from its vault
     * @throws Exception\InvalidProfileException located by a JSON pointer (and line, in that file)
     */
    public function compileProfileFile(string $path, #[\SensitiveParameter] array $secrets = []): BuyerProfile
    {
        $result = $this->call('compile-profile-file', ['path' => $path, 'secrets' => (object) $secrets]);
        return new BuyerProfile((string) $result['id'], (string) ($result['protocol'] ?? ''));
    }

    /**
     * Which of several buyers a cXML setup request comes from (by its `From` credential), before
     * anything is authenticated: pass the request to {@see Engine::cxmlSetup()} with that profile.
     *
     * @param list<BuyerProfile> $profiles
     * @throws Exception\UnknownBuyerException when none of them recognises the sender
     */
    public function cxmlIdentify(array $profiles, #[\SensitiveParameter] string $request): BuyerProfile
    {
        $ids = array_map(static fn (BuyerProfile $profile) => $profile->id, $profiles);
        $found = (string) $this->call('cxml-identify', ['profile_ids' => $ids, 'request' => $request])['profile_id'];
        foreach ($profiles as $profile) {
            if ($profile->id === $found) {
                return $profile;
            }
        }
        throw new HostException("the engine identified `$found`, which is not among the profiles given");
    }

    /**
     * Reads, authenticates and answers a cXML PunchOutSetupRequest (the raw HTTP body).
     *
     * @throws RejectedException send {@see Engine::cxmlErrorResponse()} back
     * @throws Exception\UnsupportedOperationException the profile's buyer speaks OCI (answer its
     *     call-up with {@see Engine::ociCallUp()}); the engine answers the same for such a profile
     */
    public function cxmlSetup(BuyerProfile $profile, #[\SensitiveParameter] string $request, string $startUrl, ?Envelope $envelope = null): SetupAccepted
    {
        self::requireProtocol($profile, 'cxml', 'cxmlSetup()', 'answer its call-up with ociCallUp()');
        if (!self::isUtf8($request)) {
            throw RejectedException::fromError(['code' => 'malformed-xml', 'message' => 'the setup request is not UTF-8 (this host passes documents as UTF-8 text)', 'location' => ['line' => 1, 'column' => 1]]);
        }
        return SetupAccepted::fromArray($this->call('cxml-setup', [
            'profile_id' => $profile->id,
            'request' => $request,
            'start_url' => $startUrl,
            'envelope' => $envelope ?? Envelope::generate(),
        ]));
    }

    /** The cXML `Response` (status 400, 401, 403, …) for a refused request. */
    public function cxmlErrorResponse(RejectedException $error, ?Envelope $envelope = null): string
    {
        return (string) $this->call('cxml-error-response', ['error' => $error->toError(), 'envelope' => $envelope ?? Envelope::generate()])['response'];
    }

    /**
     * Turns the cart into a PunchOutOrderMessage for the session's buyer and the form that posts it back.
     *
     * The session and the cart are value objects or arrays in the engine's JSON shape (what their
     * `jsonSerialize()` returns: attributes as a list of `{name, value}`). Arrays go to the engine
     * as they are, which saves building objects for a cart read from the shop's database; the
     * engine checks them either way and locates errors by JSON pointer.
     *
     * @param Session|array<string, mixed> $session
     * @param Cart|array<string, mixed> $cart
     * @throws Exception\InvalidCartException|Exception\InvalidSessionException located by a JSON pointer
     */
    public function cxmlCartReturn(BuyerProfile $profile, Session|array $session, Cart|array $cart, ?Envelope $envelope = null): CartReturn
    {
        self::requireProtocol($profile, 'cxml', 'cxmlCartReturn()', 'return its cart with ociCartForm()');
        return CartReturn::fromArray($this->call('cxml-cart-return', [
            'profile_id' => $profile->id,
            'session' => $session,
            'cart' => $cart,
            'envelope' => $envelope ?? Envelope::generate(),
        ]));
    }

    /**
     * Turns the cart into the Peppol BIS Punch Out cart (T77, a UBL Catalogue) for a profile with
     * `"protocol": "peppol"`, and prepares its delivery to `$returnUrl` (checked against the
     * profile's `return_urls`): with a `form` delivery the result carries the page that posts it
     * from the buyer's browser; with `post` the shop POSTs the document to the URL itself.
     *
     * @param Cart|array<string, mixed> $cart
     * @throws Exception\InvalidCartException located by a JSON pointer (`/lines/0/unit`)
     * @throws Exception\ReturnUrlNotAllowedException a return URL the profile does not allow
     */
    public function peppolCart(BuyerProfile $profile, Cart|array $cart, string $returnUrl, ?Envelope $envelope = null): PeppolCartReturn
    {
        self::requireProtocol($profile, 'peppol', 'peppolCart()', 'return its cart with cxmlCartReturn() or ociCartForm()');
        return PeppolCartReturn::fromArray($this->call('peppol-cart', [
            'profile_id' => $profile->id,
            'cart' => $cart,
            'envelope' => $envelope ?? Envelope::generate(),
            'return_url' => $returnUrl,
        ]));
    }

    /** Reads a PunchOutOrderMessage as the buyer's system would. */
    public function cxmlReadOrderMessage(string $message): OrderMessage
    {
        if (!self::isUtf8($message)) {
            throw RejectedException::fromError(['code' => 'malformed-xml', 'message' => 'the message is not UTF-8 (this host passes documents as UTF-8 text)', 'location' => ['line' => 1, 'column' => 1]]);
        }
        return OrderMessage::fromArray($this->call('cxml-read-order-message', ['message' => $message]));
    }

    /**
     * Reads and authenticates an OCI call-up: the GET query string or the POST body as received
     * (`USERNAME=…&PASSWORD=…&HOOK_URL=…`). Store the result's session for the pages that follow.
     *
     * @throws Exception\AuthenticationFailedException a wrong user or password (never echoed)
     * @throws Exception\ReturnUrlNotAllowedException a `HOOK_URL` the profile does not allow
     * @throws Exception\UnsupportedOperationException the profile's buyer speaks cXML
     */
    public function ociCallUp(BuyerProfile $profile, #[\SensitiveParameter] string $callUp): OciCallUpAccepted
    {
        self::requireProtocol($profile, 'oci', 'ociCallUp()', 'answer its setup request with cxmlSetup()');
        return OciCallUpAccepted::fromArray($this->call('oci-call-up', ['profile_id' => $profile->id, 'call_up' => $callUp]));
    }

    /**
     * The cart-return page: a form of `NEW_ITEM-*` fields that posts itself to the `HOOK_URL`, in
     * the session's charset. Send `$page->body` with `Content-Type: $page->contentType`.
     *
     * @param OciSession|array<string, mixed> $session
     * @param Cart|array<string, mixed> $cart
     * @throws Exception\InvalidCartException|Exception\InvalidSessionException located by a JSON pointer
     */
    public function ociCartForm(BuyerProfile $profile, OciSession|array $session, Cart|array $cart): OciPage
    {
        return $this->ociPage('oci-cart-form', $profile, $session, $cart);
    }

    /**
     * The `VALIDATE` reply: the one-item form for the product and quantity asked for, at the
     * current price, submitting itself without anything visible.
     *
     * @param OciSession|array<string, mixed> $session
     * @param Cart|array<string, mixed> $item a cart of that one line
     */
    public function ociValidateReply(BuyerProfile $profile, OciSession|array $session, Cart|array $item): OciPage
    {
        return $this->ociPage('oci-validate-reply', $profile, $session, $item);
    }

    /**
     * The `BACKGROUND_SEARCH` reply: every hit as OCI fields, in a page that does not submit
     * itself (the buyer's system reads it).
     *
     * @param OciSession|array<string, mixed> $session
     * @param Cart|array<string, mixed> $hits the hits as cart lines
     */
    public function ociBackgroundSearchReply(BuyerProfile $profile, OciSession|array $session, Cart|array $hits): OciPage
    {
        return $this->ociPage('oci-background-search-reply', $profile, $session, $hits);
    }

    /**
     * The `QUANTITYCHECK` reply (OCI 5.0): the JSON text to send back.
     *
     * @param string $availableQuantity a decimal such as `12.50`
     * @throws Exception\InvalidValueException a quantity that is not a decimal
     */
    public function ociQuantityCheckReply(string $availableQuantity, int $leadtimeDays = 0): string
    {
        return (string) $this->call('oci-quantity-check-reply', ['available_quantity' => $availableQuantity, 'leadtime_days' => $leadtimeDays])['json'];
    }

    /**
     * Reads and authenticates a cXML OrderRequest (the raw HTTP body, UTF-8 or Latin-1) with the
     * same limits and credential checks as a setup request. Acknowledge it with
     * {@see Engine::ordersCxmlOrderResponse()}; refuse it with {@see Engine::cxmlErrorResponse()}.
     *
     * @throws Exception\AuthenticationFailedException a wrong sender or secret (never echoed)
     * @throws RejectedException a malformed, hostile or invalid order, located by element path
     */
    public function ordersReadCxmlOrder(BuyerProfile $profile, #[\SensitiveParameter] string $document): PurchaseOrder
    {
        self::requireProtocol($profile, 'cxml', 'ordersReadCxmlOrder()', 'OCI buyers order through their own system');
        return PurchaseOrder::fromArray($this->call('orders-read-cxml-order', ['profile_id' => $profile->id] + self::document($document)));
    }

    /**
     * Which of several buyers an OrderRequest comes from, authenticated against it (the same
     * timing-safe routing as {@see Engine::cxmlIdentify()}).
     *
     * @param list<BuyerProfile> $profiles
     * @throws Exception\UnknownBuyerException|Exception\AuthenticationFailedException
     */
    public function ordersIdentifyCxmlOrder(array $profiles, #[\SensitiveParameter] string $document): BuyerProfile
    {
        $ids = array_map(static fn (BuyerProfile $profile) => $profile->id, $profiles);
        $found = (string) $this->call('orders-identify-cxml-order', ['profile_ids' => $ids] + self::document($document))['profile_id'];
        foreach ($profiles as $profile) {
            if ($profile->id === $found) {
                return $profile;
            }
        }
        throw new HostException("the engine identified `$found`, which is not among the profiles given");
    }

    /** The cXML `Response` (status 200) that acknowledges an accepted order. */
    public function ordersCxmlOrderResponse(?Envelope $envelope = null): string
    {
        return (string) $this->call('orders-cxml-order-response', ['envelope' => $envelope ?? Envelope::generate()])['response'];
    }

    /**
     * Reconciles an order against the cart the engine returned for its session (the cart as the
     * shop handed it to {@see Engine::cxmlCartReturn()}), judged by the profile's `orders` rules.
     *
     * @param PurchaseOrder|array<string, mixed> $order
     * @param Cart|array<string, mixed> $cart
     * @param Session|array<string, mixed>|null $session for the ship-to given at setup
     * @throws Exception\InvalidOrderException|Exception\InvalidCartException located by a JSON pointer
     */
    public function ordersReconcile(BuyerProfile $profile, PurchaseOrder|array $order, Cart|array $cart, Session|array|null $session = null): Reconciliation
    {
        $input = ['profile_id' => $profile->id, 'order' => $order, 'cart' => $cart];
        if ($session !== null) {
            $input['session'] = $session;
        }
        return Reconciliation::fromArray($this->call('orders-reconcile', $input));
    }

    /**
     * Compares an order with the shop's records of the orders it already received (oldest
     * first; those with the same orderID suffice): new, duplicate, conflict or update.
     *
     * @param PurchaseOrder|array<string, mixed> $order
     * @param list<OrderRecord|array<string, string>> $known
     */
    public function ordersCheckRedelivery(PurchaseOrder|array $order, array $known): Redelivery
    {
        return Redelivery::fromArray($this->call('orders-check-redelivery', ['order' => $order, 'known' => array_values($known)]));
    }

    /**
     * A cXML ConfirmationRequest for an order from the shop's confirmation (accept, reject, or
     * detail per line; the JSON shape of host-example/samples/order-confirmation.json).
     *
     * @param PurchaseOrder|array<string, mixed> $order
     * @throws Exception\InvalidOrderException when the confirmation does not fit the order
     */
    public function ordersCxmlConfirmation(BuyerProfile $profile, PurchaseOrder|array $order, array $confirmation, ?Envelope $envelope = null): string
    {
        return (string) $this->call('orders-cxml-confirmation', ['profile_id' => $profile->id, 'order' => $order, 'confirmation' => $confirmation, 'envelope' => $envelope ?? Envelope::generate()])['document'];
    }

    /**
     * A cXML ShipNoticeRequest for an order from the shop's shipment (carrier, tracking number,
     * shipped lines; host-example/samples/order-ship-notice.json).
     *
     * @param PurchaseOrder|array<string, mixed> $order
     * @throws Exception\InvalidOrderException a line the order does not have, more shipped than ordered
     */
    public function ordersCxmlShipNotice(BuyerProfile $profile, PurchaseOrder|array $order, array $shipNotice, ?Envelope $envelope = null): string
    {
        return (string) $this->call('orders-cxml-ship-notice', ['profile_id' => $profile->id, 'order' => $order, 'ship_notice' => $shipNotice, 'envelope' => $envelope ?? Envelope::generate()])['document'];
    }

    /**
     * A cXML InvoiceDetailRequest for an order from the shop's invoice (host-example/samples/
     * order-invoice.json); totals are computed in decimal and rounded per currency.
     *
     * @param PurchaseOrder|array<string, mixed> $order
     * @throws Exception\InvalidOrderException|Exception\InvalidValueException
     */
    public function ordersCxmlInvoice(BuyerProfile $profile, PurchaseOrder|array $order, array $invoice, ?Envelope $envelope = null): string
    {
        return (string) $this->call('orders-cxml-invoice', ['profile_id' => $profile->id, 'order' => $order, 'invoice' => $invoice, 'envelope' => $envelope ?? Envelope::generate()])['document'];
    }

    /**
     * Which of several Peppol buyer profiles a Peppol Order (T01) is for: the one whose buyer and
     * seller endpoint IDs are the order's.
     *
     * @param list<BuyerProfile> $profiles
     * @throws Exception\UnknownBuyerException when no profile has both endpoints
     * @throws Exception\ForbiddenXmlException|Exception\InvalidDocumentException located by element path
     */
    public function ordersIdentifyPeppolOrder(array $profiles, string $document): BuyerProfile
    {
        $ids = array_map(static fn (BuyerProfile $profile) => $profile->id, $profiles);
        $found = (string) $this->call('orders-identify-peppol-order', ['profile_ids' => $ids] + self::document($document))['profile_id'];
        foreach ($profiles as $profile) {
            if ($profile->id === $found) {
                return $profile;
            }
        }
        throw new HostException("the engine identified `$found`, which is not among the profiles given");
    }

    /**
     * Reads a Peppol Order (T01) for the buyer whose endpoint it names. The answer's `order` is
     * the purchase order {@see Engine::ordersReconcile()} and {@see Engine::ordersCheckRedelivery()}
     * take; the whole answer is what {@see Engine::ordersPeppolOrderResponse()} answers.
     *
     * @return array<string, mixed> `order`, `customization_id`, `profile_id`, `endpoints`,
     *     `buyer_name`, `seller_name`, `seller_country`, `line_ids`
     * @throws Exception\ForbiddenXmlException|Exception\InvalidDocumentException|Exception\InvalidValueException
     */
    public function ordersReadPeppolOrder(BuyerProfile $profile, string $document): array
    {
        return $this->call('orders-read-peppol-order', ['profile_id' => $profile->id] + self::document($document));
    }

    /**
     * The Peppol Order Response (T76) to an order from the shop's decision: `code` `accept`,
     * `reject` or `accept_with_changes` with `lines` (`line_number`, `status` `accept`, `reject`
     * or `changed`, `quantity`, `unit_price`, `delivery_date`, `note`); without a `code`, the
     * reconciliation's verdict decides.
     *
     * @param array<string, mixed> $order as {@see Engine::ordersReadPeppolOrder()} gave it
     * @param array<string, mixed> $decision
     * @throws Exception\InvalidOrderException located by a JSON pointer into the decision
     */
    public function ordersPeppolOrderResponse(array $order, array $decision, Reconciliation|array|null $reconciliation = null): string
    {
        $input = ['order' => $order, 'decision' => $decision];
        if ($reconciliation !== null) {
            $input['reconciliation'] = $reconciliation;
        }
        return (string) $this->call('orders-peppol-order-response', $input)['document'];
    }

    /** A document for the bridge: as text when it is UTF-8, else as base64 (a Latin-1 order). */
    private static function document(string $document): array
    {
        return self::isUtf8($document) ? ['document' => $document] : ['document_base64' => base64_encode($document)];
    }

    private function ociPage(string $function, BuyerProfile $profile, OciSession|array $session, Cart|array $cart): OciPage
    {
        self::requireProtocol($profile, 'oci', lcfirst(str_replace('-', '', ucwords($function, '-'))) . '()', 'return its cart with cxmlCartReturn()');
        return OciPage::fromArray($this->call($function, ['profile_id' => $profile->id, 'session' => $session, 'cart' => $cart]));
    }

    /**
     * Refuses a call for the other protocol's buyer before it reaches the engine, saying which
     * protocol the buyer speaks (the engine refuses it too, as `unsupported-operation`).
     */
    private static function requireProtocol(BuyerProfile $profile, string $protocol, string $method, string $instead): void
    {
        if ($profile->protocol !== '' && $profile->protocol !== $protocol) {
            $names = ['oci' => 'OCI', 'cxml' => 'cXML', 'peppol' => 'Peppol'];
            $speaks = $names[$profile->protocol] ?? $profile->protocol;
            throw RejectedException::fromError([
                'code' => 'unsupported-operation',
                'message' => "buyer `{$profile->id}` speaks $speaks, not {$names[$protocol]}: $method does not apply; $instead",
                'location' => ['field' => 'protocol'],
            ]);
        }
    }

    /**
     * Compiles the component (`.wasm`) into a precompiled file (`.cwasm`) for fast starts: run at
     * build or install time (bin/punchout-precompile).
     */
    public static function precompile(string $wasm, string $cwasm, ?string $library = null): array
    {
        [$status, $body] = Library::get($library)->precompile($wasm, $cwasm);
        if ($status !== Library::OK) {
            throw new HostException('cannot precompile the engine: ' . (self::decode($body)['message'] ?? $body));
        }
        return self::decode($body);
    }

    /** UTF-8 validity without mbstring. */
    private static function isUtf8(string $text): bool
    {
        return preg_match('//u', $text) === 1;
    }

    private static function decode(string $body): mixed
    {
        return json_decode($body, true, 512, JSON_THROW_ON_ERROR);
    }
}
