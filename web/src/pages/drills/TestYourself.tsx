/**
 * "Test yourself" at the end of a lesson: the interview questions this lesson teaches, with
 * answers that expand on click. Nothing at all when the lesson has none, or when the drill
 * list cannot be read (the lesson itself must not fail because of it).
 */
import { Link } from 'wouter';
import { drillsApi } from '../../api/drills';
import { useLoad } from '../../api/load';
import { DrillAnswerList } from './DrillAnswerList';

export default function TestYourself({ lessonId, moduleId }: { lessonId: string; moduleId: string }) {
  const [list] = useLoad(`drills:${moduleId}`, (signal) => drillsApi.list({ module: moduleId }, signal));
  if (list.status !== 'ready') return null;
  const drills = list.data.drills.filter((d) => d.lesson === lessonId);
  if (drills.length === 0) return null;
  return (
    <section className="test-yourself" aria-labelledby="test-yourself-title" data-testid="test-yourself">
      <h2 id="test-yourself-title">Test yourself</h2>
      <p className="muted small">
        {drills.length === 1 ? 'An interview question' : `${drills.length} interview questions`} on this
        lesson. Answer in your head, then open it.{' '}
        <Link href={`/drills/review?module=${encodeURIComponent(moduleId)}`}>
          Review them with spaced repetition
        </Link>
        .
      </p>
      <DrillAnswerList drills={drills} showLesson={false} showStatus={false} />
    </section>
  );
}
