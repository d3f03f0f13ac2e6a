// Decoding recordings to what whisper.cpp reads: 16 kHz, mono, 16-bit PCM WAV, one file per channel.
// WAV (PCM 8/16/24/32-bit, float, G.711 μ-law and A-law) through wavefile, MP3 through mpg123-decoder
// (WebAssembly), resampling through wave-resampler. Nothing here needs a system package.
import wavefile from 'wavefile';
import waveResampler from 'wave-resampler';
import { MPEGDecoder } from 'mpg123-decoder';

const { WaveFile } = wavefile;
const { resample } = waveResampler;

export const WHISPER_RATE = 16000;

export interface DecodedAudio {
  format: 'wav' | 'mp3';
  /** What the file holds, e.g. "WAV μ-law 8000 Hz stereo". */
  description: string;
  sampleRate: number;
  /** One array per channel, samples in -1..1. */
  channels: Float32Array[];
  durationMs: number;
}

export class AudioError extends Error {}

export async function decodeAudio(bytes: Uint8Array): Promise<DecodedAudio> {
  if (bytes.length === 0) throw new AudioError('empty file (0 bytes)');
  const head = Buffer.from(bytes.subarray(0, 12));
  if (head.toString('latin1', 0, 4) === 'RIFF' || head.toString('latin1', 0, 4) === 'RIFX') {
    if (head.toString('latin1', 8, 12) !== 'WAVE') throw new AudioError('RIFF file that is not WAVE audio');
    return decodeWav(bytes);
  }
  if (head.toString('latin1', 0, 3) === 'ID3' || (head[0] === 0xff && (head[1] & 0xe0) === 0xe0)) {
    return decodeMp3(bytes);
  }
  throw new AudioError(`not a WAV or MP3 file (starts with bytes ${head.subarray(0, 4).toString('hex')})`);
}

const BIT_DEPTH_SCALE: Record<string, (x: number) => number> = {
  '8': (x) => (x - 128) / 128,
  '16': (x) => x / 32768,
  '24': (x) => x / 8388608,
  '32': (x) => x / 2147483648,
  '32f': (x) => x,
  '64': (x) => x
};

function decodeWav(bytes: Uint8Array): DecodedAudio {
  const wav = new WaveFile();
  try {
    wav.fromBuffer(bytes);
  } catch (err) {
    throw new AudioError(`unreadable WAV: ${(err as Error).message}`);
  }
  type Fmt = { audioFormat: number; numChannels: number; sampleRate: number; bitsPerSample: number };
  const header = wav.fmt as Fmt;
  let codec = header.audioFormat === 3 ? `float ${header.bitsPerSample}-bit` : `PCM ${header.bitsPerSample}-bit`;
  try {
    if (wav.bitDepth === '8m') {
      codec = 'μ-law';
      wav.fromMuLaw();
    } else if (wav.bitDepth === '8a') {
      codec = 'A-law';
      wav.fromALaw();
    }
  } catch (err) {
    throw new AudioError(`unreadable ${codec} WAV: ${(err as Error).message}`);
  }
  const fmt = wav.fmt as Fmt; // decoding G.711 rebuilds the header
  const scale = BIT_DEPTH_SCALE[wav.bitDepth];
  if (!scale) throw new AudioError(`unsupported WAV encoding (format ${fmt.audioFormat}, ${fmt.bitsPerSample} bits)`);
  if (!fmt.sampleRate || !fmt.numChannels) throw new AudioError('WAV header has no sample rate or channel count');
  const raw = wav.getSamples(false, Float64Array) as unknown as Float64Array | Float64Array[];
  const perChannel = fmt.numChannels === 1 ? [raw as Float64Array] : (raw as Float64Array[]);
  const channels = perChannel.map((samples) => Float32Array.from(samples, scale));
  const frames = channels[0]?.length ?? 0;
  if (frames === 0) throw new AudioError(`WAV holds no audio samples (${codec})`);
  return {
    format: 'wav',
    description: `WAV ${codec} ${fmt.sampleRate} Hz ${channelWord(fmt.numChannels)}`,
    sampleRate: fmt.sampleRate,
    channels,
    durationMs: Math.round((frames / fmt.sampleRate) * 1000)
  };
}

async function decodeMp3(bytes: Uint8Array): Promise<DecodedAudio> {
  const decoder = new MPEGDecoder();
  await decoder.ready;
  try {
    const { channelData, samplesDecoded, sampleRate, errors } = decoder.decode(bytes);
    if (!samplesDecoded || !sampleRate) {
      const why = errors.length ? `: ${errors[0].message}` : '';
      throw new AudioError(`unreadable MP3 (no audio frames decoded${why})`);
    }
    let channels = channelData.map((c) => c.subarray(0, samplesDecoded));
    // The decoder always returns two channels; a mono MP3 comes back as two identical ones.
    if (channels.length === 2 && sameSamples(channels[0], channels[1])) channels = [channels[0]];
    return {
      format: 'mp3',
      description: `MP3 ${sampleRate} Hz ${channelWord(channels.length)}`,
      sampleRate,
      channels,
      durationMs: Math.round((samplesDecoded / sampleRate) * 1000)
    };
  } finally {
    decoder.free();
  }
}

function sameSamples(a: Float32Array, b: Float32Array): boolean {
  if (a.length !== b.length) return false;
  for (let k = 0; k < a.length; k++) if (a[k] !== b[k]) return false;
  return true;
}

function channelWord(n: number): string {
  return n === 1 ? 'mono' : n === 2 ? 'stereo' : `${n} channels`;
}

/** Resamples one channel to 16 kHz: cubic interpolation up, low-pass filtered linear interpolation down. */
export function to16k(samples: Float32Array, sampleRate: number): Float32Array {
  if (sampleRate === WHISPER_RATE) return samples;
  const options = sampleRate < WHISPER_RATE ? { method: 'cubic', LPF: false } : { method: 'linear', LPF: true };
  const out = resample(samples as unknown as Float64Array, sampleRate, WHISPER_RATE, options);
  return Float32Array.from(out);
}

/** A 16-bit PCM WAV file of one channel. */
export function encodeWav16(samples: Float32Array, sampleRate = WHISPER_RATE): Buffer {
  const pcm = new Int16Array(samples.length);
  for (let k = 0; k < samples.length; k++) {
    const s = Math.max(-1, Math.min(1, samples[k]));
    pcm[k] = Math.round(s * 32767);
  }
  const wav = new WaveFile();
  wav.fromScratch(1, sampleRate, '16', pcm);
  return Buffer.from(wav.toBuffer());
}

/** A 16-bit PCM WAV file with several channels (e.g. agent left, customer right). */
export function encodeWavChannels(channels: Float32Array[], sampleRate: number): Buffer {
  const pcm = channels.map((c) => Int16Array.from(c, (s) => Math.round(Math.max(-1, Math.min(1, s)) * 32767)));
  const wav = new WaveFile();
  wav.fromScratch(channels.length, sampleRate, '16', pcm);
  return Buffer.from(wav.toBuffer());
}
