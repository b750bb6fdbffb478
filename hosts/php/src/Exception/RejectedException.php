<?php

declare(strict_types=1);

namespace Punchout\Exception;

use Punchout\Location;

/**
 * The engine refused the input: the normal answer to bad input. Catch a subclass (one per WIT
 * `error-code`, such as {@see AuthenticationFailedException}) or this class for all of them; pass
 * it to {@see \Punchout\Engine::cxmlErrorResponse()} for the cXML answer. The message never
 * contains a secret.
 */
class RejectedException extends \RuntimeException implements PunchoutException
{
    final public function __construct(
        private readonly string $errorCode,
        private readonly string $engineMessage,
        private readonly Location $location,
        private readonly ?string $profileFile = null,
    ) {
        $text = $location->isEmpty() ? $engineMessage : "$engineMessage at $location";
        parent::__construct($profileFile === null ? "$errorCode: $text" : "$errorCode: `$profileFile`: $text");
    }

    /** The exception for an engine error `{code, message, location}`: the code's class, if there is one. */
    public static function fromError(array $error): self
    {
        $code = (string) ($error['code'] ?? 'invalid-value');
        $class = self::classFor($code);
        $class = class_exists($class) ? $class : self::class;
        $file = isset($error['file']) ? (string) $error['file'] : null;
        return new $class($code, (string) ($error['message'] ?? ''), Location::fromArray($error['location'] ?? []), $file);
    }

    /** `authentication-failed` → `Punchout\Exception\AuthenticationFailedException`. */
    public static function classFor(string $code): string
    {
        return __NAMESPACE__ . '\\' . str_replace('-', '', ucwords($code, '-')) . 'Exception';
    }

    /** The stable code, such as `authentication-failed`. */
    public function errorCode(): string
    {
        return $this->errorCode;
    }

    /** The engine's message without the location (for people; match on the code or the class). */
    public function engineMessage(): string
    {
        return $this->engineMessage;
    }

    public function location(): Location
    {
        return $this->location;
    }

    /** The file the error is about, for a profile compiled from its file (the profile or its base). */
    public function profileFile(): ?string
    {
        return $this->profileFile;
    }

    /** The WIT `error` record, as the engine's functions take it. */
    public function toError(): array
    {
        return ['code' => $this->errorCode, 'message' => $this->engineMessage, 'location' => $this->location];
    }
}
