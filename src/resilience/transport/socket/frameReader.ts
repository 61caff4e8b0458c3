import type { ServerFrame, SocketFrameCodec } from './frames';

const encoder = new TextEncoder();

/**
 * One incoming message as a validated server frame, or null when it must be dropped: binary, malformed,
 * an unknown frame type, or over `maxFrameBytes` (UTF-8 bytes, as the server measures). Never throws.
 */
export function readServerFrame(data: unknown, maxFrameBytes: number, codec: SocketFrameCodec): ServerFrame | null {
  if (typeof data !== 'string') return null;
  // Length in UTF-16 units ≤ UTF-8 bytes ≤ 3 × units: encode only when the cheap bounds cannot decide.
  if (data.length > maxFrameBytes) return null;
  if (data.length * 3 > maxFrameBytes && encoder.encode(data).length > maxFrameBytes) return null;
  try {
    return codec.decode(data);
  } catch {
    return null; // an app codec that throws drops the frame like a malformed one
  }
}
