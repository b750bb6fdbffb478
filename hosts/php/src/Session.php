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
    ) {
        $this->extrinsics = Property::listFrom($extrinsics);
    }

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
        return $data;
    }
}
