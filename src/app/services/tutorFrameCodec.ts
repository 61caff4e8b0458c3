import { jsonFrameCodec, type SocketFrameCodec } from '../../resilience';

/**
 * The tutor socket's wire format (docs/operations.md, "Tutor socket"): the runtime's frames as JSON, with an
 * ask's topic sent as the lesson it is about (`lessonId`).
 */
export const tutorFrameCodec: SocketFrameCodec = {
  encode: (frame) => (frame.t === 'ask' ? JSON.stringify({ t: 'ask', id: frame.id, lessonId: frame.topic, text: frame.text }) : jsonFrameCodec.encode(frame)),
  decode: (data) => jsonFrameCodec.decode(data),
};
