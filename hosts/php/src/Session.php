<?php

declare(strict_types=1);

namespace Punchout;

/**
 * What the shop stores after a successful setup and hands back at cart return (WIT `session`).
 * It holds no secret: store {@see Session::toArray()} in the shop's session or database, keyed by
 * the start URL's token.
 */
final readonly class Session implements \JsonSerializable
{
    /** @var list<Property> */
    public array $extrinsics;

    /** @var list<CartLine> the lines of the cart being reopened (edit and inspect) */
    public array $items;

    /**
     * Everything else the engine put in the session (`ship_to`, `selected_item`,
     * `supplier_setup_url`, `start_token`, and fields of newer engines), kept verbatim so that a
     * stored session always goes back to the engine whole.
     *
     * @var array<string, mixed>
     */
    public array $more;

    public function __construct(
        public string $buyerId,
        public SetupOperation $operation,
        public string $buyerCookie,
        public string $returnUrl,
        public Credential $buyer,
        public Credential $supplier,
        public string $requestPayloadId,
        public ?string $userName = null,
        public ?string $userEmail = null,
        array $extrinsics = [],
        array $items = [],
        array $more = [],
    ) {
        $this->extrinsics = Property::listFrom($extrinsics);
        $this->items = array_map(
            static fn ($item) => $item instanceof CartLine ? $item : CartLine::fromArray($item),
            array_values($items),
        );
        $this->more = $more;
    }

    private const KNOWN = [
        'buyer_id', 'operation', 'buyer_cookie', 'return_url', 'buyer', 'supplier',
        'request_payload_id', 'user_name', 'user_email', 'extrinsics', 'items',
    ];

    public static function fromArray(array $data): self
    {
        return new self(
            (string) $data['buyer_id'],
            SetupOperation::from((string) $data['operation']),
            (string) $data['buyer_cookie'],
            (string) $data['return_url'],
            Credential::fromArray($data['buyer']),
            Credential::fromArray($data['supplier']),
            (string) $data['request_payload_id'],
            $data['user_name'] ?? null,
            $data['user_email'] ?? null,
            $data['extrinsics'] ?? [],
            $data['items'] ?? [],
            array_diff_key($data, array_flip(self::KNOWN)),
        );
    }

    /** The session as plain arrays (JSON-ready), for storage. */
    public function toArray(): array
    {
        return json_decode(json_encode($this, JSON_THROW_ON_ERROR), true, 512, JSON_THROW_ON_ERROR);
    }

    public function jsonSerialize(): array
    {
        $data = [
            'buyer_id' => $this->buyerId,
            'operation' => $this->operation->value,
            'buyer_cookie' => $this->buyerCookie,
            'return_url' => $this->returnUrl,
            'buyer' => $this->buyer,
            'supplier' => $this->supplier,
            'request_payload_id' => $this->requestPayloadId,
            'extrinsics' => $this->extrinsics,
        ];
        if ($this->userName !== null) {
            $data['user_name'] = $this->userName;
        }
        if ($this->userEmail !== null) {
            $data['user_email'] = $this->userEmail;
        }
        $data['items'] = $this->items;
        return $data + $this->more;
    }
}
