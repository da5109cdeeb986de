/**
 * Every panel and the canvas sit in one of these: a panel that throws shows
 * what went wrong in its own place while the rest of the editor keeps working,
 * and it tries again by itself when the document changes (opening a valid
 * file, Undo), so one bad graph never leaves a panel broken.
 */
import { Component, type ErrorInfo, type ReactNode } from 'react';
import { editorStore } from './state.ts';
import { shownText } from './text.ts';

interface Props {
  /** Names the panel in the message ("the canvas", "the summary"). */
  what: string;
  children: ReactNode;
}

interface State {
  error: Error | null;
  /** The document revision the error happened at. */
  revision: number;
}

export class ErrorBoundary extends Component<Props, State> {
  override state: State = { error: null, revision: -1 };
  private unsubscribe: (() => void) | null = null;

  static getDerivedStateFromError(error: unknown): Partial<State> {
    return { error: error instanceof Error ? error : new Error(String(error)), revision: editorStore.getState().revision };
  }

  override componentDidMount() {
    this.unsubscribe = editorStore.subscribe((s) => {
      if (this.state.error && s.revision !== this.state.revision) this.setState({ error: null });
    });
  }

  override componentWillUnmount() {
    this.unsubscribe?.();
  }

  override componentDidCatch(error: Error, info: ErrorInfo) {
    console.error(error, info.componentStack);
  }

  override render() {
    const { error } = this.state;
    if (!error) return this.props.children;
    return (
      <div className="notice error panel-error" role="alert" data-testid="panel-error">
        <p>
          Something went wrong showing {this.props.what}: {shownText(error.message)}. The rest of the editor still works,
          and your network is unchanged; this panel tries again when the network changes.
        </p>
        <button type="button" className="button" onClick={() => this.setState({ error: null })}>Try again</button>
      </div>
    );
  }
}
