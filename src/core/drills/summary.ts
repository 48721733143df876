/**
 * The summary of a finished quick-fire round or mock interview: overall score, how many parts
 * were answered in time, and the weakest topics first with the lessons to reread. Pure.
 */

export interface SummaryPart {
  topics: readonly string[];
  /** 0..1; null when never answered (counts as 0). */
  score: number | null;
  /** Answered within its time limit. */
  answeredInTime: boolean;
  /** Seconds from the part's start to its answer; null when never answered. */
  secondsTaken: number | null;
}

export interface TopicInfo {
  title: string;
  /** The lessons that teach the topic, in course order. */
  lessons: readonly { id: string; title: string }[];
}

export interface TopicScore {
  topic: string;
  title: string;
  asked: number;
  /** Mean score 0..1 over the parts that touch this topic. */
  score: number;
  lessons: { id: string; title: string }[];
}

export interface SessionSummary {
  /** Mean score 0..1 over every part (an unanswered part scores 0); 0 for no parts. */
  score: number;
  answered: number;
  /** Parts answered after their time limit or never answered (answered + timedOut = parts). */
  timedOut: number;
  /** Every topic asked, lowest mean score first (ties: the order topics were first asked). */
  weakestTopics: TopicScore[];
  totalSecondsTaken: number;
}

export function summarizeSession(
  parts: readonly SummaryPart[],
  topicInfo: (topic: string) => TopicInfo | undefined,
): SessionSummary {
  const byTopic = new Map<string, { asked: number; total: number }>();
  let total = 0;
  let answered = 0;
  let seconds = 0;
  for (const part of parts) {
    const score = part.score ?? 0;
    total += score;
    if (part.answeredInTime) answered++;
    seconds += part.secondsTaken ?? 0;
    for (const topic of new Set(part.topics)) {
      const entry = byTopic.get(topic) ?? { asked: 0, total: 0 };
      entry.asked++;
      entry.total += score;
      byTopic.set(topic, entry);
    }
  }
  const weakestTopics = [...byTopic.entries()]
    .map(([topic, { asked, total: topicTotal }]) => {
      const info = topicInfo(topic);
      return {
        topic,
        title: info?.title ?? topic,
        asked,
        score: topicTotal / asked,
        lessons: (info?.lessons ?? []).map((l) => ({ id: l.id, title: l.title })),
      };
    })
    .sort((a, b) => a.score - b.score);
  return {
    score: parts.length === 0 ? 0 : total / parts.length,
    answered,
    timedOut: parts.length - answered,
    weakestTopics,
    totalSecondsTaken: seconds,
  };
}
