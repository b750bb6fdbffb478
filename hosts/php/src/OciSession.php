<?php

declare(strict_types=1);

namespace Punchout;

/**
 * What the shop stores after an accepted OCI call-up and hands back for every page of that
 * session (the engine's OCI session). It holds no password: store {@see OciSession::toArray()}
 * in the shop's session.
 */
final readonly class OciSession implements \JsonSerializable
{
    private const KNOWN = ['buyer_id', 'username', 'hook_url', 'charset', 'target', 'version'];

    /**
     * @param string $hookUrl the buyer's `HOOK_URL`, byte-exact, already allowed by the profile
     * @param string $charset `utf-8` or `iso-8859-1`: the charset of every page sent back
     * @param string $target the cart form's `target` (`_top` unless the buyer asked otherwise)
     * @param string $version the OCI release the profile speaks (`4.0` or `5.0`)
     * @param array<string, mixed> $more fields of newer engines, kept verbatim
     */
    public function __construct(
        public string $buyerId,
        public string $username,
        public string $hookUrl,
        public string $charset,
        public string $target,
        public string $version,
        public array $more = [],
    ) {
    }

    public static function fromArray(array $data): self
    {
        return new self(
            (string) $data['buyer_id'],
            (string) $data['username'],
            (string) $data['hook_url'],
            (string) $data['charset'],
            (string) $data['target'],
            (string) $data['version'],
            array_diff_key($data, array_flip(self::KNOWN)),
        );
    }

    /** The session as plain arrays (JSON-ready), for storage. */
    public function toArray(): array
    {
        return $this->jsonSerialize();
    }

    public function jsonSerialize(): array
    {
        return [
            'buyer_id' => $this->buyerId,
            'username' => $this->username,
            'hook_url' => $this->hookUrl,
            'charset' => $this->charset,
            'target' => $this->target,
            'version' => $this->version,
        ] + $this->more;
    }
}
