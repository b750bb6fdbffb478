<?php

declare(strict_types=1);

namespace Punchout;

/**
 * An OCI call-up the engine authenticated ({@see Engine::ociCallUp()}): the session to store,
 * the function asked for, and what else the buyer's system sent (never the password).
 */
final readonly class OciCallUpAccepted
{
    /** @var list<Property> every other parameter (language, `BYPASS_*`, the buyer's own) */
    public array $parameters;

    public function __construct(
        public OciSession $session,
        public OciFunction $function,
        public ?string $ociVersion = null,
        public ?string $opiVersion = null,
        public ?string $okCode = null,
        public ?string $caller = null,
        array $parameters = [],
    ) {
        $this->parameters = Property::listFrom($parameters);
    }

    public static function fromArray(array $data): self
    {
        return new self(
            OciSession::fromArray($data['session']),
            OciFunction::fromArray($data['function']),
            $data['oci_version'] ?? null,
            $data['opi_version'] ?? null,
            $data['ok_code'] ?? null,
            $data['caller'] ?? null,
            $data['parameters'] ?? [],
        );
    }
}
