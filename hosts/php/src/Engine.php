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
 * The functions come from the library's table, which is generated from the engine's JSON bridge:
 * every function is reachable through {@see Engine::call()} and as a method named in camelCase
 * (`cxml-setup` → `cxmlSetup()`), so new engine functions (OCI) appear here without a PHP change.
 * The typed methods below wrap the functions that exist today and return value objects.
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
     * } $options paths default to $PUNCHOUT_LIBRARY, $PUNCHOUT_COMPONENT and $PUNCHOUT_PRECOMPILED;
     *   the limits apply to the first Engine of the process (the library starts once)
     */
    public function __construct(array $options = [])
    {
        $this->library = Library::get($options['library'] ?? null);
        unset($options['library']);
        foreach (['component' => 'PUNCHOUT_COMPONENT', 'precompiled' => 'PUNCHOUT_PRECOMPILED'] as $key => $variable) {
            $value = getenv($variable);
            if (!isset($options[$key]) && \is_string($value) && $value !== '') {
                $options[$key] = $value;
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
     * Any engine function as a camelCase method: `$engine->ociCallUp($profile, $query)`. Positional
     * arguments follow the table's input order; named arguments use the input names in camelCase.
     */
    public function __call(string $method, array $arguments): mixed
    {
        $function = strtolower(preg_replace('/(?<!^)[A-Z]/', '-$0', $method));
        $spec = $this->functions()[$function] ?? throw new \BadMethodCallException("the engine has no function `$function` (method $method)");
        $input = [];
        foreach ($arguments as $key => $value) {
            $name = \is_int($key) ? ($spec['inputs'][$key] ?? throw new \ArgumentCountError("`$function` takes " . \count($spec['inputs']) . ' arguments'))
                : strtolower(preg_replace('/(?<!^)[A-Z]/', '_$0', $key));
            $input[$name] = $value instanceof BuyerProfile ? $value->id : $value;
        }
        if (\in_array('envelope', $spec['inputs'], true) && !isset($input['envelope'])) {
            $input['envelope'] = Envelope::generate();
        }
        return $this->call($function, $input);
    }

    /**
     * Compiles a buyer profile (JSON text or an array) with its resolved secrets. The compiled
     * profile stays in the process; compile again when the profile or a secret changes.
     *
     * @param array<string, string> $secrets reference name => value, resolved by the shop from its vault
     * @throws Exception\InvalidProfileException located by a JSON pointer
     */
    public function compileProfile(array|string $profile, #[\SensitiveParameter] array $secrets = []): BuyerProfile
    {
        $result = $this->call('compile-profile', ['profile' => $profile, 'secrets' => (object) $secrets]);
        return new BuyerProfile((string) $result['id']);
    }

    /**
     * Reads, authenticates and answers a cXML PunchOutSetupRequest (the raw HTTP body).
     *
     * @throws RejectedException send {@see Engine::cxmlErrorResponse()} back
     */
    public function cxmlSetup(BuyerProfile $profile, #[\SensitiveParameter] string $request, string $startUrl, ?Envelope $envelope = null): SetupAccepted
    {
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
        return CartReturn::fromArray($this->call('cxml-cart-return', [
            'profile_id' => $profile->id,
            'session' => $session,
            'cart' => $cart,
            'envelope' => $envelope ?? Envelope::generate(),
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
