using System.Text.Json.Serialization;

namespace Vdm.Conversion.Contracts;

/// <summary>Source-generated JSON for both wire formats: every root contract, and the types the hand-written converters hand on.</summary>
/// <remarks>The concrete records of the <c>type</c>-tagged unions and the payloads of <see cref="StringOr{T}"/> are listed
/// because their converters look them up in the options at run time; the generator cannot see them through a converter.</remarks>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
// Anthropic roots.
[JsonSerializable(typeof(MessagesRequest))]
[JsonSerializable(typeof(MessageResponse))]
[JsonSerializable(typeof(ErrorResponse))]
[JsonSerializable(typeof(MessageStreamEvent))]
[JsonSerializable(typeof(ContentBlock))]
// OpenAI roots.
[JsonSerializable(typeof(ChatCompletionRequest))]
[JsonSerializable(typeof(ChatCompletion))]
[JsonSerializable(typeof(ChatCompletionChunk))]
[JsonSerializable(typeof(OpenAIErrorResponse))]
// Content blocks, by type.
[JsonSerializable(typeof(TextBlock))]
[JsonSerializable(typeof(ImageBlock))]
[JsonSerializable(typeof(DocumentBlock))]
[JsonSerializable(typeof(ToolUseBlock))]
[JsonSerializable(typeof(ToolResultBlock))]
[JsonSerializable(typeof(ThinkingBlock))]
[JsonSerializable(typeof(RedactedThinkingBlock))]
// Stream events and block deltas, by type.
[JsonSerializable(typeof(MessageStartEvent))]
[JsonSerializable(typeof(ContentBlockStartEvent))]
[JsonSerializable(typeof(ContentBlockDeltaEvent))]
[JsonSerializable(typeof(ContentBlockStopEvent))]
[JsonSerializable(typeof(MessageDeltaEvent))]
[JsonSerializable(typeof(MessageStopEvent))]
[JsonSerializable(typeof(PingEvent))]
[JsonSerializable(typeof(ErrorEvent))]
[JsonSerializable(typeof(TextDelta))]
[JsonSerializable(typeof(InputJsonDelta))]
[JsonSerializable(typeof(ThinkingDelta))]
[JsonSerializable(typeof(SignatureDelta))]
// String-or-value payloads.
[JsonSerializable(typeof(List<ContentBlock>))]
[JsonSerializable(typeof(List<ChatContentPart>))]
[JsonSerializable(typeof(List<string>))]
[JsonSerializable(typeof(ChatToolChoice))]
internal sealed partial class WireJsonContext : JsonSerializerContext;
