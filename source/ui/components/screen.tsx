import {Box} from 'ink';
import type {Dispatch} from 'react';
import type {SourceDescription} from '../../core/sample-source.ts';
import {type Chrome, headerLine, statusLine} from '../chrome.ts';
import type {Action} from '../reducer.ts';
import {type State, topFrame} from '../state.ts';
import {FilterBox} from './filter-box.tsx';
import {Footer} from './footer.tsx';
import {Help} from './help.tsx';
import {LineView} from './line.tsx';
import {ListBody} from './list-body.tsx';
import {RuleDetail} from './rule-detail.tsx';

export type ScreenProps = {
	state: State;
	description: SourceDescription;
	now: number;
	width: number;
	height: number;
	/** Alerts, notes and the body height they leave (chrome.ts chromeOf, worked out once by the root). */
	chrome: Chrome;
	color: boolean;
	dispatch: Dispatch<Action>;
	clock: () => number;
};

/** The whole dashboard for one state and one terminal size; renders props only. */
export function Screen({state, description, now, width, height, chrome, color, dispatch, clock}: ScreenProps) {
	const frame = topFrame(state);
	const {body} = chrome;
	let main;
	if (state.help) main = <Help width={width} height={body} top={state.helpTop}/>;
	else if (frame.view.kind === 'rule') main = <RuleDetail state={state} view={frame.view} top={frame.top} width={width} height={body} color={color}/>;
	else main = <ListBody state={state} width={width} height={body - 1} color={color}/>;
	return (
		<Box flexDirection="column" width={width} height={height}>
			<LineView line={headerLine(state, description, now, width)} color={color}/>
			{chrome.alerts.map((line, index) => (
				// Alert lines are positional: they are redrawn whole when they change.
				<LineView key={`alert:${index}`} line={line} color={color}/>
			))}
			<LineView line={statusLine(state)} color={color}/>
			{chrome.notes.map(line => <LineView key={line[0]!.text} line={line} color={color}/>)}
			<Box height={body} flexDirection="column">{main}</Box>
			{state.filter.editing
				? <FilterBox text={state.filter.text} width={width} dispatch={dispatch} now={clock}/>
				: <Footer width={width} help={state.help}/>}
		</Box>
	);
}
